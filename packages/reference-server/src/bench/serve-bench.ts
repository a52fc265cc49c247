/**
 * The serving benchmark. By default: generation through HTTP+SSE against in-process node-llama-cpp
 * generation on the generated model (in-process.ts). `--vs-llama-server` also runs chatwire-server
 * and llama.cpp's llama-server side by side on the same GGUF, slots and threads (vs-llama-server.ts),
 * building llama-server once first. `--json FILE` writes the figures; `--quick` runs one short sample
 * (what CI runs; it needs no llama-server).
 *
 *   --model PATH   GGUF to run (default: the generated model)
 *   --threads N    generation threads of each server (default 1)
 *   --rounds N     side-by-side rounds (default 15; 1 with --quick)
 *   --repeat N     single-stream requests in one sample (default 5; 1 with --quick)
 *   --tokens N     max_tokens of the side-by-side cases (default 256; 32 with --quick)
 */
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ensureDefaultModel } from "../model/default-model.js";
import { runInProcessComparison } from "./in-process.js";
import { generatedModelPath, llamaServerBinary, modelId } from "./servers.js";
import { runVsLlamaServer, vsReport } from "./vs-llama-server.js";

const { values } = parseArgs({
  options: {
    json: { type: "string" },
    quick: { type: "boolean" },
    "vs-llama-server": { type: "boolean" },
    model: { type: "string" },
    threads: { type: "string" },
    rounds: { type: "string" },
    tokens: { type: "string" },
    repeat: { type: "string" },
  },
});

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} takes a whole number of at least 1, not ${text}`);
  return value;
}

const quick = values.quick === true;
const threads = positive("threads", values.threads, 1);
const vs = values["vs-llama-server"] === true;
// The in-process comparison writes its own copy of the generated model, unless a model is named.
const inProcessModel = values.model ?? ensureDefaultModel(join(tmpdir(), "chatwire-bench")).path;

const inProcess = await runInProcessComparison({
  modelPath: inProcessModel,
  threads,
  samples: quick ? 1 : 7,
  tokens: quick ? 64 : 512,
});

let vsLlamaServer: Awaited<ReturnType<typeof runVsLlamaServer>> | undefined;
if (vs) {
  const { binary, tag } = llamaServerBinary();
  const modelPath = values.model ?? generatedModelPath();
  vsLlamaServer = await runVsLlamaServer({
    modelPath,
    threads,
    parallel: 4,
    contextPerSequence: 4096,
    llamaServerBinary: binary,
    llamaServerTag: tag,
    rounds: positive("rounds", values.rounds, quick ? 1 : 15),
    repeat: positive("repeat", values.repeat, quick ? 1 : 5),
    tokens: positive("tokens", values.tokens, quick ? 32 : 256),
    // The generated tiny model is the per-token-overhead regime; any other model is held to the compute-bound targets.
    regime: modelId(modelPath).startsWith("chatwire-tiny") ? "tiny" : "compute-bound",
  });
  console.log(`\nllama.cpp llama-server ${tag}: ${vsLlamaServer.commandLines.llama}`);
  console.log(`${vsLlamaServer.commandLines.chatwire}`);
  console.log(
    `${vsLlamaServer.rounds} rounds of ${vsLlamaServer.repeat} requests a single-stream sample, servers alternated within each round; max_tokens ${vsLlamaServer.tokens}, temperature 0; plain reply ${vsLlamaServer.plainLength} tokens\n`,
  );
  console.log(vsReport(vsLlamaServer));
}
if (values.json) writeFileSync(values.json, `${JSON.stringify({ ...inProcess, vsLlamaServer }, null, 2)}\n`);
