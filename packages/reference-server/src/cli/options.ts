import type { DialectId } from "@chatwire/core";
import type { GpuChoice, LoraFile } from "../engine/runtime.js";
import type { ModelSize } from "../model/default-model.js";
import { integer, namedPath, nonEmpty, oneOf, origin, seconds, type ValueParser } from "./values.js";

/** Which command an option belongs to. */
export type Command = "serve" | "make-model";

/** One option, defined once: parsing, its environment variable and its help line all come from here. */
export interface OptionSpec<T = unknown> {
  /** Spellings on the command line; the first names the option in messages and help. */
  flags: readonly [string, ...string[]];
  /** `CHATWIRE_` and the first spelling in capitals; switches (`--help`, `--version`) have none. */
  env: string | undefined;
  /** The value's name in help, e.g. `PATH`; none for a switch. */
  placeholder: string | undefined;
  meaning: string;
  /** The default as help shows it; none when there is no default. */
  shownDefault: string | undefined;
  /** The value when neither the command line nor the environment sets it. */
  fallback: T | undefined;
  parse: ValueParser<T> | undefined;
  /** Given more than once, every value counts; its variable takes a comma-separated list. */
  repeatable: boolean;
  /** The command it applies to; switches apply to any. */
  command: Command | undefined;
}

function option<T>(spec: {
  flags: readonly [string, ...string[]];
  placeholder: string;
  meaning: string;
  shownDefault?: string;
  fallback?: T;
  parse: ValueParser<T>;
  repeatable?: boolean;
  command?: Command;
}): OptionSpec<T> {
  return {
    env: `CHATWIRE_${spec.flags[0].replace(/^--/, "").replaceAll("-", "_").toUpperCase()}`,
    shownDefault: undefined,
    fallback: undefined,
    repeatable: false,
    command: "serve",
    ...spec,
  };
}

/** A switch: no value, no variable; `command` limits it to one command (else it applies to any). */
function toggle(flags: readonly [string, ...string[]], meaning: string, command?: Command): OptionSpec<boolean> {
  const parse = () => true;
  return {
    flags,
    meaning,
    parse,
    env: undefined,
    placeholder: undefined,
    shownDefault: undefined,
    fallback: false,
    repeatable: false,
    command,
  };
}

export const MODEL = option({
  flags: ["--model", "-m"],
  placeholder: "PATH",
  meaning: "GGUF file to serve; its model id is the file name without .gguf",
  shownDefault: "the generated model, id chatwire-tiny",
  parse: nonEmpty("path"),
});
export const PORT = option({
  flags: ["--port"],
  placeholder: "N",
  meaning: "port to listen on; 0 picks a free one",
  shownDefault: "8080",
  fallback: 8080,
  parse: integer(0, 65535),
});
export const HOST = option({
  flags: ["--host"],
  placeholder: "HOST",
  meaning: "address or host name to listen on",
  shownDefault: "127.0.0.1",
  fallback: "127.0.0.1",
  parse: nonEmpty("address"),
});
export const DIALECT = option<DialectId>({
  flags: ["--dialect"],
  placeholder: "D",
  meaning: "dialect of POST /v1/chat/completions: gradient, octoai or predictionguard",
  shownDefault: "gradient",
  fallback: "gradient",
  parse: oneOf(["gradient", "octoai", "predictionguard"]),
});
export const GPU = option<GpuChoice>({
  flags: ["--gpu"],
  placeholder: "G",
  meaning: "auto (the best prebuilt binary here), cuda, vulkan, or off for CPU only",
  shownDefault: "auto",
  fallback: "auto",
  parse: oneOf(["auto", "cuda", "vulkan", "off"]),
});
export const THREADS = option({
  flags: ["--threads", "-t"],
  placeholder: "N",
  meaning: "CPU threads for generation",
  shownDefault: "1",
  // One generation thread per request stream measured fastest here: more threads fight the event loop.
  fallback: 1,
  parse: integer(1, 1024),
});
export const PARALLEL = option({
  flags: ["--parallel", "-np"],
  placeholder: "N",
  meaning: "context sequences, i.e. choices generated at once",
  shownDefault: "8",
  fallback: 8,
  parse: integer(1, 1024),
});
export const CONTEXT = option({
  flags: ["--context", "-c", "--ctx-size"],
  placeholder: "N",
  meaning: "tokens each sequence holds, prompt and completion (at least 64)",
  shownDefault: "4096",
  fallback: 4096,
  parse: integer(64, 16_777_216),
});
export const API_KEY = option({
  flags: ["--api-key"],
  placeholder: "KEY",
  meaning: "every route but /health and GET /v1/models needs Authorization: Bearer KEY; an empty KEY is refused",
  shownDefault: "none, no auth",
  parse: nonEmpty(
    "key",
    "an empty key would turn auth off; leave out --api-key and CHATWIRE_API_KEY to run without a key",
  ),
});
export const SEND_TIMEOUT = option({
  flags: ["--send-timeout"],
  placeholder: "SECONDS",
  meaning: "a stream whose client takes no bytes for this long is cancelled",
  shownDefault: "30",
  fallback: 30_000,
  // setTimeout's limit: 2^31 - 1 ms.
  parse: seconds(2_147_483),
});
export const ALLOW_ORIGIN = option<string>({
  flags: ["--allow-origin"],
  placeholder: "ORIGIN",
  meaning: "let pages from ORIGIN call the server too (CORS); repeatable; * allows any",
  shownDefault: "loopback origins only",
  parse: origin,
  repeatable: true,
});
export const LORA = option<LoraFile>({
  flags: ["--lora"],
  placeholder: "NAME=PATH",
  meaning:
    "load the LoRA adapter GGUF at PATH; OctoAI requests apply it with peft: NAME, and GET /v1/models lists it; repeatable",
  shownDefault: "none",
  parse: namedPath,
  repeatable: true,
});
export const OUT = option({
  flags: ["--out"],
  placeholder: "DIR",
  meaning: "make-model only: the directory to write the model to",
  shownDefault: "the cache directory",
  parse: nonEmpty("directory"),
  command: "make-model",
});
export const SIZE = option<ModelSize>({
  flags: ["--size"],
  placeholder: "S",
  meaning:
    "make-model only: tiny (the default model, ~286k parameters) or bench (~42M parameters, Q8_0, compute-bound)",
  shownDefault: "tiny",
  fallback: "tiny",
  parse: oneOf(["tiny", "bench"]),
  command: "make-model",
});
export const ADAPTER = toggle(
  ["--adapter"],
  "make-model only: also write the generated LoRA adapter for that model, next to it, and print its path",
  "make-model",
);
export const HELP = toggle(["--help", "-h"], "print this help and exit");
export const VERSION = toggle(["--version"], "print the version and exit");

/** Every option, in the order help lists them. */
export const OPTIONS: readonly OptionSpec[] = [
  MODEL,
  PORT,
  HOST,
  DIALECT,
  GPU,
  THREADS,
  PARALLEL,
  CONTEXT,
  API_KEY,
  SEND_TIMEOUT,
  ALLOW_ORIGIN,
  LORA,
  OUT,
  SIZE,
  ADAPTER,
  HELP,
  VERSION,
] as readonly OptionSpec<unknown>[];
