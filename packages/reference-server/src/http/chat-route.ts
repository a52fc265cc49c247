import { randomInt, randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { DialectId } from "@chatwire/core";
import type { LlamaGrammar, Token } from "node-llama-cpp";
import { ApiError } from "../api/errors.js";
import { parseChatRequest, type RequestLimits, type Structure } from "../api/parse-chat.js";
import type { AdapterSet } from "../engine/batch-decoder.js";
import { generateChoice } from "../engine/generate.js";
import { type ChoiceEvent, mergeChoices } from "../engine/run-choices.js";
import type { Runtime } from "../engine/runtime.js";
import type { SequencePool } from "../engine/sequence-pool.js";
import { collectChoices, streamChoices } from "../wire/respond.js";
import type { ServerMetrics } from "./metrics.js";

export interface ChatContext {
  runtime: Runtime;
  pool: SequencePool;
  metrics: ServerMetrics;
  limits: RequestLimits;
  sendTimeoutMs: number;
}

/** The request limits that follow from the loaded model and the server's options. */
export function requestLimits(runtime: Runtime, modelId: string, maxChoices: number): RequestLimits {
  const context = runtime.context.contextSize;
  return {
    modelId,
    vocabularySize: runtime.vocabularySize,
    maxChoices,
    maxMessages: Math.floor(context / runtime.tokensPerMessage),
    maxPromptBytes: context * runtime.maxTokenBytes,
  };
}

/** Serves one chat completion in `dialect`, streamed or not; returns the completion tokens sent. */
export async function serveChat(
  context: ChatContext,
  dialect: DialectId,
  rawBody: unknown,
  response: ServerResponse,
  started: number,
): Promise<number> {
  const { runtime, pool, metrics } = context;
  const task = parseChatRequest(dialect, rawBody, context.limits);
  const adapters = task.peft === undefined ? undefined : adapterSet(runtime, task.peft);
  const grammar = await buildGrammar(runtime, task.structure);
  const promptTokens = await runtime.tokenizePrompt(task.messages);
  const contextSize = runtime.context.contextSize;
  if (promptTokens.length + 1 >= contextSize) {
    throw new ApiError(
      "context_length_exceeded",
      `The prompt is ${promptTokens.length} tokens; the context holds ${contextSize}.`,
      { param: "messages" },
    );
  }
  // A choice cannot outgrow its sequence: past what the context still holds it ends with `length`.
  const maxTokens = Math.min(task.sampling.maxTokens, contextSize - promptTokens.length);

  const abort = new AbortController();
  const onClose = () => {
    if (!response.writableFinished) abort.abort(new Error("client disconnected"));
  };
  response.on("close", onClose);
  let slots: number[];
  try {
    slots = await pool.acquire(task.n, promptTokens, abort.signal, adapters?.key);
  } catch (error) {
    response.off("close", onClose);
    // The client left while waiting for a sequence: nothing to answer, and nothing went wrong.
    if (abort.signal.aborted) return 0;
    throw error;
  }

  // Without a seed, each request samples differently; with one, choice i uses seed + i.
  const seed = task.sampling.seed ?? randomInt(2 ** 31);
  // Every choice has the same prompt: choice 0 scores it, for all of them.
  const scorePrompt = task.loglikelihood;
  try {
    const cached = await cachedPrefixes(runtime, slots, promptTokens, adapters, scorePrompt);
    const events = mergeChoices(
      slots.map((slot, index) =>
        generateChoice(runtime, slot, promptTokens, cached[index] as number, {
          ...task.sampling,
          maxTokens,
          grammar,
          adapters,
          seed: seed + index,
          scorePrompt: scorePrompt && index === 0,
        }),
      ),
      abort.signal,
    );
    metrics.tokens.inc({ kind: "prompt" }, promptTokens.length);
    metrics.tokens.inc({ kind: "prompt_cached" }, cached[0] ?? 0);
    const run = {
      dialect,
      identity: {
        id: `chatcmpl-${randomUUID().replace(/-/g, "").slice(0, 24)}`,
        created: Math.floor(Date.now() / 1000),
        model: context.limits.modelId,
      },
      events: observed(events, metrics, started),
      n: task.n,
      promptTokens: promptTokens.length,
      promptLogprobs: scorePrompt,
      toolCall: task.toolCall,
      includeUsage: task.includeUsage,
      response,
      sendTimeoutMs: context.sendTimeoutMs,
      signal: abort.signal,
    };
    const completionTokens = task.stream ? await streamChoices(run) : await collectChoices(run);
    metrics.tokens.inc({ kind: "completion" }, completionTokens);
    return completionTokens;
  } finally {
    response.off("close", onClose);
    void pool.release(slots);
  }
}

/**
 * How many prompt tokens each slot already holds (llama-server's prompt cache). A choice that
 * scores the prompt reads the logits before every prompt token, so its slot starts empty.
 */
async function cachedPrefixes(
  runtime: Runtime,
  slots: readonly number[],
  prompt: readonly Token[],
  adapters: AdapterSet | undefined,
  scorePrompt: boolean,
): Promise<number[]> {
  return Promise.all(
    slots.map(async (slot, index) => {
      if (scorePrompt && index === 0) {
        await runtime.decoder.clear(slot);
        return 0;
      }
      return runtime.decoder.reuse(slot, prompt, adapters?.key);
    }),
  );
}

/** The adapters OctoAI's `peft` names, or the 404 that lists the ones the server has. */
function adapterSet(runtime: Runtime, name: string): AdapterSet {
  const adapters = runtime.adapters.get(name);
  if (adapters) return adapters;
  const known = [...runtime.adapters.keys()];
  throw new ApiError(
    "adapter_not_found",
    `No LoRA adapter is named ${JSON.stringify(name)}; ${known.length > 0 ? `this server has ${known.map((id) => JSON.stringify(id)).join(", ")}` : "this server loads none (start it with --lora NAME=PATH)"}.`,
    { param: "peft" },
  );
}

async function buildGrammar(runtime: Runtime, structure: Structure | undefined): Promise<LlamaGrammar | undefined> {
  if (!structure) return undefined;
  if (structure.kind === "json") return runtime.structuredGrammar("json");
  try {
    return await runtime.structuredGrammar("schema", structure.schema);
  } catch (error) {
    const what = structure.where === "tools" ? "tools[].function.parameters" : "response_format";
    throw new ApiError(
      "unsupported_schema",
      `The JSON Schema in ${what} cannot be turned into a grammar: ${(error as Error).message}`,
      { param: what },
    );
  }
}

/** Passes the events on, recording time to first token and each finished choice's tokens/s. */
async function* observed(
  events: AsyncIterable<ChoiceEvent>,
  metrics: ServerMetrics,
  started: number,
): AsyncGenerator<ChoiceEvent> {
  const seconds = () => (performance.now() - started) / 1000;
  let firstToken = true;
  for await (const event of events) {
    if (event.kind === "piece" && firstToken) {
      firstToken = false;
      metrics.timeToFirstToken.observe(seconds());
    } else if (event.kind === "done") {
      metrics.tokensPerSecond.observe(event.result.completionTokens / Math.max(1e-3, seconds()));
    }
    yield event;
  }
}
