/**
 * Generation through HTTP+SSE against in-process node-llama-cpp generation, side by side in one
 * process: tokens/s ratio, time-to-first-token overhead, and aggregate tokens/s at 1, 4 and 16
 * concurrent streams.
 */
import { generateChoice } from "../engine/generate.js";
import { Runtime } from "../engine/runtime.js";
import { modelId, startChatwireServer } from "./servers.js";
import { median } from "./stats.js";
import { timeConcurrent, timeStreamedCompletion } from "./stream-request.js";

const messages = [{ role: "user", content: "Tell me about the sea and the mountain." }];
const spread = (xs: number[]) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;

interface Options {
  modelPath: string;
  threads: number;
  samples: number;
  tokens: number;
}

async function inProcess(runtime: Runtime, tokens: number): Promise<{ tokensPerSecond: number; ttftMs: number }> {
  const prompt = await runtime.tokenizePrompt(messages);
  const slot = 0;
  const started = performance.now();
  let first = 0;
  let count = 0;
  // As the server does: the slot keeps the last request's tokens and the same prompt reuses them.
  for await (const piece of generateChoice(runtime, slot, prompt, runtime.decoder.reuse(slot, prompt), {
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
  await runtime.decoder.release(slot);
  return { tokensPerSecond: tokens / seconds, ttftMs: first };
}

export async function runInProcessComparison(options: Options) {
  const { modelPath, threads, samples, tokens } = options;
  const model = modelId(modelPath);
  // The same context shape as the server's (16 sequences), so only HTTP+SSE differs.
  const runtime = await Runtime.load({ modelPath, gpu: "off", threads, contextSize: 2048, parallel: 16 });
  // The server runs in its own process on the same model, as it does in use, so the client's parsing
  // does not share its event loop.
  const server = await startChatwireServer({ modelPath, threads, parallel: 16, contextPerSequence: 2048 });
  // The same request as the in-process run's: sampled at temperature 1 with a seed, to max_tokens.
  const request = { model, messages, max_tokens: tokens, temperature: 1, seed: 1, ignore_eos: true };
  const overHttp = () => timeStreamedCompletion(server.completionsUrl, request);

  // Warm-up of both paths, then alternate samples so drift hits both equally.
  await inProcess(runtime, tokens);
  await overHttp();
  const local: { tokensPerSecond: number; ttftMs: number }[] = [];
  const http: { tokensPerSecond: number; ttftMs: number }[] = [];
  for (let i = 0; i < samples; i++) {
    local.push(await inProcess(runtime, tokens));
    http.push(await overHttp());
  }
  const aggregate: Record<string, number> = {};
  for (const streams of [1, 4, 16]) {
    aggregate[`${streams}`] = (await timeConcurrent(server.completionsUrl, request, streams)).tokensPerSecond;
  }
  await server.stop();
  await runtime.dispose();

  const figures = {
    machine: `${process.platform}-${process.arch}, node ${process.version}, cpu threads ${threads}`,
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
  return figures;
}
