import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { buildTinyLora } from "./tiny-lora.js";
import { BENCH_MODEL_OPTIONS, buildTinyModel, type TinyModelOptions } from "./tiny-model.js";

/** Where generated models are cached: `$CHATWIRE_CACHE_DIR`, else the XDG cache dir. */
export function cacheDir(): string {
  return process.env.CHATWIRE_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "chatwire");
}

/** The generated models: `tiny` is the default one, `bench` a compute-bound one for benchmarks. */
export type ModelSize = "tiny" | "bench";

const MODEL_OPTIONS: Record<ModelSize, TinyModelOptions> = {
  tiny: {},
  bench: BENCH_MODEL_OPTIONS,
};

/**
 * Writes the embedded default model if it is not cached yet and returns its path. The file name
 * carries a hash of the content, so a change to the generator never reuses a stale file.
 */
export function ensureDefaultModel(directory = cacheDir()): { path: string; created: boolean } {
  return ensureGeneratedModel("tiny", directory);
}

/**
 * Writes the generated model of `size` as `chatwire-<size>-<hash>.gguf` if it is not there yet and
 * returns its path. The bench model is built (a few seconds) even when it is there, to know its hash.
 */
export function ensureGeneratedModel(size: ModelSize, directory = cacheDir()): { path: string; created: boolean } {
  return writeOnce(directory, `chatwire-${size}`, buildTinyModel(MODEL_OPTIONS[size]));
}

/**
 * Writes the generated LoRA adapter for the model of `size` as `chatwire-<size>-lora-<hash>.gguf`
 * (see tiny-lora.ts) if it is not there yet and returns its path.
 */
export function ensureGeneratedAdapter(size: ModelSize, directory = cacheDir()): { path: string; created: boolean } {
  return writeOnce(
    directory,
    `chatwire-${size}-lora`,
    buildTinyLora({ model: MODEL_OPTIONS[size], name: `chatwire-${size}-lora` }),
  );
}

/** Writes `bytes` as `<stem>-<hash of bytes>.gguf` in `directory` unless that file is there already. */
function writeOnce(directory: string, stem: string, bytes: Uint8Array): { path: string; created: boolean } {
  const digest = createHash("sha256").update(bytes).digest("hex").slice(0, 12);
  const path = join(directory, `${stem}-${digest}.gguf`);
  if (existsSync(path)) return { path, created: false };
  mkdirSync(directory, { recursive: true });
  // Written aside under a name of its own and renamed, so a concurrent start (another process, or
  // another worker thread of this one) never loads half a file.
  const partial = `${path}.${process.pid}.${randomUUID()}.partial`;
  writeFileSync(partial, bytes);
  renameSync(partial, path);
  return { path, created: true };
}

/** The model id the embedded default model is served under. */
export const DEFAULT_MODEL_ID = "chatwire-tiny";
