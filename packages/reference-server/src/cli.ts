#!/usr/bin/env node
import { basename } from "node:path";
import { parseArgs } from "node:util";
import type { DialectId } from "@chatwire/core";
import type { GpuChoice } from "./engine/runtime.js";
import { startServer } from "./http/server.js";
import { DEFAULT_MODEL_ID, ensureDefaultModel } from "./model/default-model.js";

const USAGE = `chatwire-server [--model PATH] [--port 8080] [--host 127.0.0.1] [--dialect gradient|octoai|predictionguard]
               [--gpu auto|cuda|vulkan|off] [--threads N] [--parallel N] [--context N] [--api-key KEY]
chatwire-server make-model [--out DIR]`;

const DIALECTS = ["gradient", "octoai", "predictionguard"];
const GPUS = ["auto", "cuda", "vulkan", "off"];

function fail(message: string): never {
  process.stderr.write(`chatwire-server: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function integer(value: string | undefined, name: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min) fail(`--${name} must be an integer >= ${min}, got "${value}".`);
  return parsed;
}

const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        model: { type: "string" },
        port: { type: "string" },
        host: { type: "string" },
        dialect: { type: "string" },
        gpu: { type: "string" },
        threads: { type: "string" },
        parallel: { type: "string" },
        context: { type: "string" },
        "api-key": { type: "string" },
        out: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    return fail((error as Error).message);
  }
})();

if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (positionals[0] === "make-model") {
  const { path, created } = ensureDefaultModel(values.out);
  process.stdout.write(`${created ? "wrote" : "already there:"} ${path}\n`);
  process.exit(0);
}
if (positionals.length > 0) fail(`unknown command "${positionals[0]}".`);
const dialect = values.dialect ?? "gradient";
if (!DIALECTS.includes(dialect)) fail(`--dialect must be one of ${DIALECTS.join(", ")}.`);
const gpu = values.gpu ?? "auto";
if (!GPUS.includes(gpu)) fail(`--gpu must be one of ${GPUS.join(", ")}.`);

const modelPath = values.model ?? ensureDefaultModel().path;
const server = await startServer({
  modelPath,
  modelId: values.model ? basename(values.model).replace(/\.gguf$/i, "") : DEFAULT_MODEL_ID,
  host: values.host ?? "127.0.0.1",
  port: integer(values.port, "port", 8080, 0),
  dialect: dialect as DialectId,
  gpu: gpu as GpuChoice,
  // One generation thread per request stream measured fastest here: more threads fight the event loop.
  threads: integer(values.threads, "threads", 1),
  parallel: integer(values.parallel, "parallel", 8),
  contextSize: integer(values.context, "context", 4096, 64),
  apiKey: values["api-key"],
  maxBodyBytes: 1024 * 1024,
  maxQueue: 64,
});
server.ready.catch((error: Error) => {
  process.stderr.write(`chatwire-server: could not load ${modelPath}: ${error.message}\n`);
  process.exit(1);
});

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    process.stdout.write(`chatwire-server: ${signal}, shutting down\n`);
    server.close().then(() => process.exit(0));
  });
}
