#!/usr/bin/env bash
# Calibrates chatwire-conformance on llama.cpp's llama-server: builds it once (build-llama-server.sh),
# serves the generated model with it, records its answers as fixtures (fixtures/<dialect>/llama-*.json,
# `source.backend` naming llama-server's tag) and runs `check` against it, for the Gradient and OctoAI
# dialects. `record` refuses every case llama-server answers in a way that contradicts the case (its
# refusals are printed, and no fixture is written for them); `check` writes its JSON report to
# $CHECK_OUT/llama-check-<dialect>.json. Never run by CI. Run `npm ci && npm run build` first.
#
#   conformance/calibrate/calibrate.sh                      # record and check
#   PORT=18090 CHECK_OUT=/tmp conformance/calibrate/calibrate.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
port="${PORT:-18090}"
check_out="${CHECK_OUT:-/tmp}"
key="calibrate-key"
model_id="chatwire-tiny"
cli=(node "$repo/conformance/dist/cli.js")
if [ ! -f "$repo/conformance/dist/cli.js" ]; then
  echo "No $repo/conformance/dist/cli.js: run 'npm run build' in $repo first." >&2
  exit 2
fi

binary="$("$repo/conformance/calibrate/build-llama-server.sh")"
tag="$(node -p "require('$repo/node_modules/node-llama-cpp/llama/llama.cpp.info.json').tag")"
# The generated model, as chatwire-server serves it (make-model writes it once into the cache).
gguf="$(node "$repo/packages/reference-server/dist/cli.js" make-model | sed -n "s/^\(wrote\|already there:\) //p")"

log="$(mktemp -t llama-server.XXXXXX.log)"
# --jinja applies the model's own chat template (tools, response formats); the alias makes the
# served model id the one the cases ask for; --api-key lets the bad-key case be refused with a 401.
"$binary" -m "$gguf" --alias "$model_id" --api-key "$key" --host 127.0.0.1 --port "$port" \
  --threads 1 -np 2 -c 4096 --jinja >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.2
done
echo "llama-server $tag on 127.0.0.1:$port, model $gguf (log: $log)" >&2

work="$(mktemp -d -t calibrate.XXXXXX)"
for dialect in gradient octoai; do
  fixtures="$repo/conformance/fixtures/$dialect"
  # The dialect's cases under llama- names, so llama-server's fixtures sit beside the reference server's.
  node -e '
    const [from, to] = process.argv.slice(1);
    const cases = JSON.parse(require("node:fs").readFileSync(from, "utf8"));
    for (const c of cases) c.name = `llama-${c.name}`;
    require("node:fs").writeFileSync(to, JSON.stringify(cases, null, 2));
  ' "$repo/conformance/cases/$dialect.json" "$work/$dialect.json"
  rm -f "$fixtures"/llama-*.json
  echo "== record $dialect" >&2
  "${cli[@]}" record --dialect "$dialect" --base-url "http://127.0.0.1:$port" --api-key "$key" \
    --cases "$work/$dialect.json" --out "$repo/conformance/fixtures" ||
    echo "(record $dialect: the cases above were refused; the others were written)" >&2
  node -e '
    const fs = require("node:fs");
    const [dir, backend] = process.argv.slice(1);
    for (const file of fs.readdirSync(dir).filter((name) => /^llama-.*\.json$/.test(name))) {
      const fixture = JSON.parse(fs.readFileSync(`${dir}/${file}`, "utf8"));
      fixture.source.backend = backend;
      fs.writeFileSync(`${dir}/${file}`, `${JSON.stringify(fixture, null, 2)}\n`);
    }
  ' "$fixtures" "llama.cpp llama-server $tag, generated model"
  echo "== check $dialect" >&2
  "${cli[@]}" check --dialect "$dialect" --base-url "http://127.0.0.1:$port" --api-key "$key" \
    --model "$model_id" --json >"$check_out/llama-check-$dialect.json" ||
    echo "(check $dialect exited $?; report in $check_out/llama-check-$dialect.json)" >&2
done
npx --prefix "$repo" biome format --write "$repo/conformance/fixtures" >/dev/null
rm -rf "$work"
