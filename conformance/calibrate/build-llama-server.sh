#!/usr/bin/env bash
# Builds llama.cpp's llama-server, CPU only, from the llama.cpp source that node-llama-cpp ships
# (node_modules/node-llama-cpp/llama/gitRelease.bundle, at the tag its llama.cpp.info.json names),
# into a cache directory outside the repository, once: about 20 minutes on 2 cores. Prints the
# path of the binary. Never run by CI.
#
#   conformance/calibrate/build-llama-server.sh            # build (or reuse) and print the path
#   CHATWIRE_CACHE=/some/dir conformance/calibrate/build-llama-server.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
llama="$repo/node_modules/node-llama-cpp/llama"
if [ ! -f "$llama/gitRelease.bundle" ]; then
  echo "No $llama/gitRelease.bundle: run 'npm ci' in $repo first." >&2
  exit 2
fi
tag="$(node -p "require('$llama/llama.cpp.info.json').tag")"
cache="${CHATWIRE_CACHE:-$HOME/.cache/chatwire}/llama-server-$tag"
binary="$cache/build/bin/llama-server"
if [ -x "$binary" ]; then
  echo "$binary"
  exit 0
fi
mkdir -p "$cache"
if [ ! -d "$cache/src/.git" ]; then
  rm -rf "$cache/src"
  git clone --quiet "$llama/gitRelease.bundle" "$cache/src" >&2
fi
git -C "$cache/src" checkout --quiet "$tag" 2>/dev/null || true
jobs="${JOBS:-$(nproc 2>/dev/null || echo 2)}"
cmake -S "$cache/src" -B "$cache/build" -DCMAKE_BUILD_TYPE=Release \
  -DGGML_NATIVE=ON -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF \
  -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF >&2
cmake --build "$cache/build" --config Release --target llama-server -j "$jobs" >&2
echo "$binary"
