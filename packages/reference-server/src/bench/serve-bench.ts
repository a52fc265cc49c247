/**
 * Generation through HTTP+SSE against in-process node-llama-cpp generation, on the generated model,
 * side by side in one process: tokens/s ratio, time-to-first-token overhead, and aggregate tokens/s
 * at 1, 4 and 16 concurrent streams. `--json FILE` writes the figures; `--quick` runs one sample.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { iterateServerSentEvents } from "@chatwire/core";
import { generateChoice } from "../engine/generate.js";
import { Runtime } from "../engine/runtime.js";
import { DEFAULT_MODEL_ID, ensureDefaultModel } from "../model/default-model.js";

const { values } = parseArgs({ options: { json: { type: "string" }, quick: { type: "boolean" } } });
const samples = values.quick ? 1 : 7;
const tokens = values.quick ? 64 : 512;
const { path: modelPath } = ensureDefaultModel(join(tmpdir(), "chatwire-bench"));
const base = { modelPath, gpu: "off" as const, threads: 1, contextSize: 2048 };
const messages = [{ role: "user", content: "Tell me about the sea and the mountain." }];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const spread = (xs: number[]) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;

async function inProcess(runtime: Runtime): Promise<{ tokensPerSecond: number; ttftMs: number }> {
  const prompt = await runtime.tokenizePrompt(messages);
  const sequence = runtime.context.getSequence();
  const started = performance.now();
  let first = 0;
  let count = 0;
  for await (const piece of generateChoice(runtime, sequence, prompt, {
    maxTokens: tokens,
    temperature: 1,
    seed: 1,
    ignoreEos: true,
    stop: [],
  })) {
    if (count === 0) first = performance.now() - started;
    count += piece.text === "" ? 0 : 1;
  }
  const seconds = (performance.now() - started) / 1000;
  sequence.dispose();
  return { tokensPerSecond: tokens / seconds, ttftMs: first };
}

async function overHttp(url: string): Promise<{ tokensPerSecond: number; ttftMs: number; completionTokens: number }> {
  const started = performance.now();
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      model: DEFAULT_MODEL_ID,
      messages,
      max_tokens: tokens,
      temperature: 1,
      seed: 1,
      ignore_eos: true,
      stream: true,
      stream_options: { include_usage: true },
    }),
  });
  let first = 0;
  let completionTokens = 0;
  for await (const event of iterateServerSentEvents(response.body as ReadableStream<Uint8Array>)) {
    if (event.data === "[DONE]") break;
    const chunk = JSON.parse(event.data) as { choices: unknown[]; usage?: { completion_tokens: number } | null };
    if (first === 0 && chunk.choices.length > 0) first = performance.now() - started;
    if (chunk.usage) completionTokens = chunk.usage.completion_tokens;
  }
  const seconds = (performance.now() - started) / 1000;
  return { tokensPerSecond: completionTokens / seconds, ttftMs: first, completionTokens };
}

async function serverProcess(): Promise<{ url: string; process: ReturnType<typeof spawn> }> {
  const cli = new URL("../cli.js", import.meta.url).pathname;
  const child = spawn(
    process.execPath,
    [cli, "--port", "0", "--parallel", "16", "--threads", "1", "--context", "2048", "--gpu", "off"],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (data: Buffer) => {
      output += data.toString();
      const match = /listening at (\S+)/.exec(output);
      if (match) resolve(match[1] as string);
    });
    child.once("exit", (code) => reject(new Error(`chatwire-server exited with ${code}: ${output}`)));
  });
  child.stdout?.resume();
  return { url, process: child };
}

// The same context shape as the server's (16 sequences), so only HTTP+SSE differs.
const runtime = await Runtime.load({ ...base, parallel: 16 });
// The server runs in its own process on the same generated model (the CLI default), as it does in
// use, so the client's parsing does not share
// its event loop.
const server = await serverProcess();

// Warm-up of both paths, then alternate samples so drift hits both equally.
await inProcess(runtime);
await overHttp(server.url);
const local: { tokensPerSecond: number; ttftMs: number }[] = [];
const http: { tokensPerSecond: number; ttftMs: number }[] = [];
for (let i = 0; i < samples; i++) {
  local.push(await inProcess(runtime));
  http.push(await overHttp(server.url));
}
const aggregate: Record<string, number> = {};
for (const streams of [1, 4, 16]) {
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: streams }, () => overHttp(server.url)));
  const total = results.reduce((sum, result) => sum + result.completionTokens, 0);
  aggregate[`${streams}`] = total / ((performance.now() - started) / 1000);
}
server.process.kill("SIGTERM");
await runtime.dispose();

const figures = {
  machine: `${process.platform}-${process.arch}, node ${process.version}, cpu threads 1`,
  tokensPerRequest: tokens,
  samples,
  inProcessTokensPerSecond: median(local.map((s) => s.tokensPerSecond)),
  httpTokensPerSecond: median(http.map((s) => s.tokensPerSecond)),
  ratio: median(http.map((s) => s.tokensPerSecond)) / median(local.map((s) => s.tokensPerSecond)),
  inProcessTtftMs: median(local.map((s) => s.ttftMs)),
  httpTtftMs: median(http.map((s) => s.ttftMs)),
  ttftOverheadMs: median(http.map((s) => s.ttftMs)) - median(local.map((s) => s.ttftMs)),
  aggregateTokensPerSecond: aggregate,
};
console.log(
  `tokens/s  in-process ${figures.inProcessTokensPerSecond.toFixed(0)} (${spread(local.map((s) => s.tokensPerSecond))})  HTTP+SSE ${figures.httpTokensPerSecond.toFixed(0)} (${spread(http.map((s) => s.tokensPerSecond))})  ratio ${figures.ratio.toFixed(3)} (target >= 0.95)`,
);
console.log(
  `TTFT ms   in-process ${figures.inProcessTtftMs.toFixed(2)}  HTTP+SSE ${figures.httpTtftMs.toFixed(2)}  overhead ${figures.ttftOverheadMs.toFixed(2)} (target <= 5)`,
);
console.log(
  `aggregate tokens/s  1 stream ${aggregate["1"]?.toFixed(0)}  4 streams ${aggregate["4"]?.toFixed(0)}  16 streams ${aggregate["16"]?.toFixed(0)}`,
);
if (values.json) writeFileSync(values.json, `${JSON.stringify(figures, null, 2)}\n`);
