/**
 * chatwire-server against llama.cpp's llama-server on the same GGUF, slots and threads, over HTTP:
 * each case runs on one server then the other, the order swapped every round, so drift on a shared
 * machine falls on both; ratios are taken within a round and reported as median (min–max).
 */

import { BindingFloor } from "./binding-floor.js";
import { modelId, type RunningServer, type ServerShape, startChatwireServer, startLlamaServer } from "./servers.js";
import { formatSummary, markdownTable, median, pairedRatios, summarize } from "./stats.js";
import { RefusedError, type Timing, timeConcurrent, timeStreamedCompletion } from "./stream-request.js";

export interface VsOptions extends ServerShape {
  llamaServerBinary: string;
  llamaServerTag: string;
  rounds: number;
  /** Single-stream requests in one sample. */
  repeat: number;
  /** max_tokens of every case that runs to its limit. */
  tokens: number;
  /** The generated tiny model (per-token overhead dominates) or a larger, compute-bound one: the targets differ. */
  regime: "tiny" | "compute-bound";
}

type Body = Record<string, unknown>;

interface Case {
  id: string;
  label: string;
  /** Concurrent streams; 1 for a single stream. */
  streams: number;
  body(tokens: number, plainLength: number): Body;
}

const messages = [{ role: "user", content: "Tell me about the sea and the mountain." }];
// A stop string the generated model's words never spell, so the reply is the plain one, checked for a stop all along.
const NEVER_STOP = "#never-stop#";
// Token 10 is a byte token: the generated model already gives byte tokens a large negative bias, so a further
// bias on it changes no reply but makes the server apply a bias on every token.
const UNUSED_TOKEN_BIAS = { "10": -50 };
const SCHEMA = {
  type: "object",
  properties: { answer: { type: "string" } },
  required: ["answer"],
  additionalProperties: false,
};

const CASES: Case[] = [
  {
    id: "ignore-eos",
    label: "one stream, `ignore_eos`",
    streams: 1,
    body: (tokens) => ({ max_tokens: tokens, ignore_eos: true }),
  },
  { id: "plain", label: "one stream, no `ignore_eos`", streams: 1, body: (tokens) => ({ max_tokens: tokens }) },
  {
    id: "ignore-eos-same-length",
    label: "one stream, `ignore_eos`, plain reply's length",
    streams: 1,
    body: (_, plainLength) => ({ max_tokens: plainLength, ignore_eos: true }),
  },
  {
    id: "stop",
    label: "one stream, stop string",
    streams: 1,
    body: (tokens) => ({ max_tokens: tokens, stop: [NEVER_STOP] }),
  },
  {
    id: "logit-bias",
    label: "one stream, `logit_bias`",
    streams: 1,
    body: (tokens) => ({ max_tokens: tokens, logit_bias: UNUSED_TOKEN_BIAS }),
  },
  {
    id: "logprobs",
    label: "one stream, `logprobs`, `top_logprobs: 5`",
    streams: 1,
    body: (tokens) => ({ max_tokens: tokens, logprobs: true, top_logprobs: 5 }),
  },
  {
    id: "json-schema",
    label: "one stream, `json_schema` grammar",
    streams: 1,
    body: (tokens) => ({
      max_tokens: tokens,
      response_format: { type: "json_schema", json_schema: { name: "answer", strict: true, schema: SCHEMA } },
    }),
  },
  {
    id: "streams-4",
    label: "4 streams aggregate, `ignore_eos`",
    streams: 4,
    body: (tokens) => ({ max_tokens: tokens, ignore_eos: true }),
  },
  {
    id: "streams-16",
    label: "16 streams aggregate, `ignore_eos`",
    streams: 16,
    body: (tokens) => ({ max_tokens: tokens, ignore_eos: true }),
  },
];

interface Samples {
  tokensPerSecond: number[];
  ttftMs: number[];
  completionTokens: number[];
  /** Why the server refused the case; no samples then. */
  refused?: string;
}

type ServerName = "chatwire" | "llama";

export interface VsFigures {
  llamaServerTag: string;
  commandLines: Record<ServerName, string>;
  rounds: number;
  repeat: number;
  tokens: number;
  plainLength: number;
  regime: VsOptions["regime"];
  cases: Record<string, { label: string; streams: number } & Record<ServerName, Samples>>;
  /** Tokens/s of node-llama-cpp's decode + sample alone (binding-floor.ts), one sample per round. */
  bindingFloor: number[];
}

/**
 * One sample of a case: a single stream is `repeat` requests back to back (their tokens over their
 * time, their median time to first token), so a request of a few tens of milliseconds is not one
 * scheduler hiccup away from a wild figure; concurrent streams are one batch.
 */
async function sampleCase(
  server: RunningServer,
  model: string,
  spec: Case,
  body: Body,
  repeat: number,
): Promise<Timing> {
  const request = { model, messages, temperature: 0, seed: 1, ...body };
  if (spec.streams > 1)
    return { ...(await timeConcurrent(server.completionsUrl, request, spec.streams)), ttftMs: Number.NaN };
  const timings: Timing[] = [];
  for (let i = 0; i < repeat; i++) timings.push(await timeStreamedCompletion(server.completionsUrl, request));
  const completionTokens = timings.reduce((sum, timing) => sum + timing.completionTokens, 0) / repeat;
  const seconds = timings.reduce((sum, timing) => sum + timing.seconds, 0) / repeat;
  return {
    completionTokens,
    seconds,
    tokensPerSecond: completionTokens / seconds,
    ttftMs: median(timings.map((t) => t.ttftMs)),
  };
}

export async function runVsLlamaServer(options: VsOptions): Promise<VsFigures> {
  const shape: ServerShape = options;
  const model = modelId(options.modelPath);
  // One at a time would give the first one started an idle machine; both run for the whole benchmark, idle in turn.
  const servers: Record<ServerName, RunningServer> = {
    chatwire: await startChatwireServer(shape),
    llama: await startLlamaServer(options.llamaServerBinary, shape),
  };
  const floor = await BindingFloor.load(shape, messages);
  const bindingFloor: number[] = [];
  try {
    // The plain reply's length (it ends by itself), from llama-server: the reference for the same-length case.
    const plain = await timeStreamedCompletion(servers.llama.completionsUrl, {
      model,
      messages,
      temperature: 0,
      seed: 1,
      max_tokens: options.tokens,
    });
    const plainLength = Math.max(1, plain.completionTokens);
    const cases: VsFigures["cases"] = {};
    for (const spec of CASES) {
      cases[spec.id] = {
        label: spec.label,
        streams: spec.streams,
        chatwire: { tokensPerSecond: [], ttftMs: [], completionTokens: [] },
        llama: { tokensPerSecond: [], ttftMs: [], completionTokens: [] },
      };
    }
    // Round 0 warms both servers up (code paths, page cache, any prompt cache) and is not recorded.
    for (let round = 0; round <= options.rounds; round++) {
      const order: ServerName[] = round % 2 === 0 ? ["chatwire", "llama"] : ["llama", "chatwire"];
      for (const spec of CASES) {
        for (const name of order) {
          const samples = cases[spec.id]?.[name] as Samples;
          if (samples.refused !== undefined) continue;
          try {
            const body = spec.body(options.tokens, plainLength);
            const timing = await sampleCase(servers[name], model, spec, body, options.repeat);
            if (round === 0) continue;
            samples.tokensPerSecond.push(timing.tokensPerSecond);
            samples.ttftMs.push(timing.ttftMs);
            samples.completionTokens.push(timing.completionTokens);
          } catch (error) {
            if (!(error instanceof RefusedError)) throw error;
            samples.refused = error.message;
          }
        }
        if (spec.id === "ignore-eos") {
          let seconds = 0;
          for (let i = 0; i < options.repeat; i++)
            seconds += options.tokens / (await floor.tokensPerSecond(options.tokens));
          if (round > 0) bindingFloor.push((options.tokens * options.repeat) / seconds);
        }
      }
      if (round > 0) process.stderr.write(`round ${round}/${options.rounds} done\n`);
    }
    return {
      llamaServerTag: options.llamaServerTag,
      commandLines: { chatwire: servers.chatwire.commandLine, llama: servers.llama.commandLine },
      rounds: options.rounds,
      repeat: options.repeat,
      tokens: options.tokens,
      plainLength,
      regime: options.regime,
      cases,
      bindingFloor,
    };
  } finally {
    await Promise.all([servers.chatwire.stop(), servers.llama.stop(), floor.dispose()]);
  }
}

const summaryOf = (samples: Samples | undefined, pick: (s: Samples) => number[]) =>
  samples && samples.refused === undefined ? summarize(pick(samples)) : undefined;

/** The issue's targets for each ratio, by model regime; none where it sets none. */
function ratioTarget(id: string, regime: VsOptions["regime"]): { min: number; text: string } | undefined {
  if (id === "streams-4") return { min: 1.0, text: "≥ 1.0" };
  if (regime === "compute-bound") return id === "ignore-eos" ? { min: 0.97, text: "≥ 0.97" } : undefined;
  return id === "ignore-eos" || id === "plain" ? { min: 0.9, text: "≥ 0.9" } : undefined;
}

const verdict = (met: boolean) => (met ? "met" : "not met");

/** `n/a` and why: the status and the first clause of the error message the server sent. */
function refusedNote(samples: Samples | undefined): string {
  if (samples?.refused === undefined) return "";
  const match = /^HTTP (\d+): (.*)$/s.exec(samples.refused);
  let reason = match?.[2] ?? samples.refused;
  try {
    reason = (JSON.parse(reason) as { error: { message: string } }).error.message;
  } catch {
    // Not a JSON error body: keep the text as it came.
  }
  return ` (${match?.[1] ?? "refused"}: "${reason.split(":")[0]?.trim().slice(0, 60)}")`;
}

/** The side-by-side table (tokens/s, ratios, targets) and the per-feature costs, as Markdown. */
export function vsReport(figures: VsFigures): string {
  const rows = Object.entries(figures.cases).map(([id, entry]) => {
    const chatwire = summaryOf(entry.chatwire, (s) => s.tokensPerSecond);
    const llama = summaryOf(entry.llama, (s) => s.tokensPerSecond);
    const ratios =
      chatwire && llama
        ? summarize(pairedRatios(entry.chatwire.tokensPerSecond, entry.llama.tokensPerSecond))
        : undefined;
    const target = ratioTarget(id, figures.regime);
    const tokens = summaryOf(entry.chatwire, (s) => s.completionTokens);
    return [
      `${entry.label}${tokens ? `, ${tokens.median.toFixed(0)} tokens${entry.streams > 1 ? " in all" : ""}` : ""}`,
      formatSummary(chatwire, 0) + refusedNote(entry.chatwire),
      formatSummary(llama, 0) + refusedNote(entry.llama),
      formatSummary(ratios, 2),
      target ? `${target.text}: ${ratios ? verdict(ratios.median >= target.min) : "n/a"}` : "",
    ];
  });
  const first = figures.cases["ignore-eos"];
  const ttft = (name: ServerName) => summaryOf(first?.[name], (s) => s.ttftMs);
  const ttftRatios =
    first && ttft("chatwire") && ttft("llama")
      ? summarize(pairedRatios(first.chatwire.ttftMs, first.llama.ttftMs))
      : undefined;
  const llamaIgnoreEos = figures.cases["ignore-eos"]?.llama;
  if (figures.bindingFloor.length > 0 && llamaIgnoreEos && llamaIgnoreEos.refused === undefined) {
    rows.push([
      `node-llama-cpp's floor: decode + sample alone, in process, ${figures.tokens} tokens`,
      formatSummary(summarize(figures.bindingFloor), 0),
      formatSummary(summarize(llamaIgnoreEos.tokensPerSecond), 0),
      formatSummary(summarize(pairedRatios(figures.bindingFloor, llamaIgnoreEos.tokensPerSecond)), 2),
      "",
    ]);
  }
  rows.push([
    "time to first token, ms (one stream)",
    formatSummary(ttft("chatwire"), 2),
    formatSummary(ttft("llama"), 2),
    formatSummary(ttftRatios, 2),
    `≤ 1.2: ${ttftRatios ? verdict(ttftRatios.median <= 1.2) : "n/a"}`,
  ]);
  const table = markdownTable(["figure", "chatwire-server tok/s", "llama-server tok/s", "ratio", "target"], rows);

  // What a feature costs each server: its tokens/s against the plain request's, paired within the round.
  const costRow = (id: string, against: string, label: string) => {
    const cost = (name: ServerName) => {
      const feature = figures.cases[id]?.[name];
      const base = figures.cases[against]?.[name];
      if (!feature || !base || feature.refused !== undefined || base.refused !== undefined) return undefined;
      return summarize(pairedRatios(feature.tokensPerSecond, base.tokensPerSecond).map((r) => (1 - r) * 100));
    };
    const own = cost("chatwire");
    return [
      label,
      formatSummary(own, 1),
      formatSummary(cost("llama"), 1),
      `≤ 5 %: ${own ? verdict(own.median <= 5) : "n/a"}`,
    ];
  };
  const costs = markdownTable(
    ["cost against the plain request, % of tokens/s", "chatwire-server", "llama-server", "target (chatwire-server)"],
    [
      costRow("ignore-eos-same-length", "plain", "`ignore_eos` (same length)"),
      costRow("stop", "plain", "stop string"),
      costRow("logit-bias", "plain", "`logit_bias`"),
      costRow("logprobs", "plain", "`logprobs`, `top_logprobs: 5`"),
    ],
  );
  return `${table}\n\n${costs}\n`;
}
