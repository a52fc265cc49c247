import { randomInt, randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { DialectId } from "@chatwire/core";
import type { LlamaGrammar, Token } from "node-llama-cpp";
import { type GeneratedPiece, type GenerationResult, generateChoice, type TokenLogprob } from "../engine/generate.js";
import type { Runtime } from "../engine/runtime.js";
import { PoolBusyError, type SequencePool } from "../engine/sequence-pool.js";
import {
  type ChatBody,
  checkSamplingFields,
  forcedTools,
  parseChatBody,
  samplingParams,
  templateMessages,
  toolCallSchema,
} from "./chat-request.js";
import { type ChoiceUpdate, ChunkShaper, type FinishReason, type Usage } from "./chunk-shape.js";
import { HttpError } from "./error-body.js";
import type { ServerMetrics } from "./metrics.js";
import { unresolvedReference } from "./schema-references.js";
import { sendJSON } from "./send-json.js";
import { SSEWriter } from "./sse-writer.js";

export interface ChatContext {
  runtime: Runtime;
  pool: SequencePool;
  metrics: ServerMetrics;
  modelId: string;
}

/** What a finished request reports for the request log. */
export interface ChatOutcome {
  completionTokens: number;
}

/** One request's choices on their way to the client. */
interface ChoiceRun {
  events: AsyncGenerator<ChoiceEvent>;
  /** Sees every event first, for the metrics. */
  observe: (event: ChoiceEvent) => void;
  n: number;
  shaper: ChunkShaper;
  promptTokens: readonly Token[];
  response: ServerResponse;
  /** The choices were forced to call a tool: their text is a JSON call, answered as `tool_calls`. */
  toolCall: boolean;
  signal: AbortSignal;
}

type ChoiceEvent =
  | { kind: "piece"; index: number; piece: GeneratedPiece }
  | { kind: "done"; index: number; result: GenerationResult };

/** Serves one chat completion in `dialect`, streamed or not. */
export async function handleChat(
  context: ChatContext,
  dialect: DialectId,
  rawBody: unknown,
  response: ServerResponse,
  started: number,
): Promise<ChatOutcome> {
  const { runtime, pool, metrics, modelId } = context;
  const body = parseChatBody(dialect, rawBody);
  checkSamplingFields(body, runtime.vocabularySize);
  if (body.model !== modelId) {
    throw new HttpError(
      404,
      `The model \`${body.model}\` does not exist; this server serves \`${modelId}\` (GET /v1/models).`,
      "invalid_request_error",
      "model",
      "model_not_found",
    );
  }
  const n = body.n ?? 1;
  if (n > pool.capacity) {
    throw new HttpError(
      400,
      `n = ${n} needs ${n} sequences; this server runs ${pool.capacity} (--parallel).`,
      "invalid_request_error",
      "n",
    );
  }
  const asked = samplingParams(body);
  // Prediction Guard sends every chunk's logprob, asked for or not.
  const params =
    dialect === "predictionguard" && asked.topLogprobs === undefined ? { ...asked, topLogprobs: 0 } : asked;
  // Without a seed, each request samples differently; with one, choice i uses seed + i.
  const seed = params.seed ?? randomInt(2 ** 31);
  const tools = forcedTools(body);
  const grammar = await structuredGrammar(runtime, body, tools);
  const promptTokens = runtime.tokenize(runtime.renderPrompt(templateMessages(body.messages)));
  if (promptTokens.length + 1 >= runtime.context.contextSize) {
    throw new HttpError(
      400,
      `The prompt is ${promptTokens.length} tokens; the context holds ${runtime.context.contextSize}.`,
      "invalid_request_error",
      "messages",
      "context_length_exceeded",
    );
  }

  const abort = new AbortController();
  const onClose = () => {
    if (!response.writableFinished) abort.abort(new Error("client disconnected"));
  };
  response.on("close", onClose);
  let sequences: Awaited<ReturnType<SequencePool["acquire"]>>;
  try {
    sequences = await pool.acquire(n, abort.signal);
  } catch (error) {
    response.off("close", onClose);
    // The client left while waiting for a sequence: nothing to answer, and nothing went wrong.
    if (abort.signal.aborted) return { completionTokens: 0 };
    if (error instanceof PoolBusyError) {
      throw new HttpError(429, `${error.message} Retry shortly.`, "rate_limit_error", null, "server_busy", {
        "retry-after": "1",
      });
    }
    throw error;
  }

  const id = `chatcmpl-${randomUUID().replace(/-/g, "").slice(0, 24)}`;
  const created = Math.floor(Date.now() / 1000);
  const shaper = new ChunkShaper(dialect, id, created, modelId, body.stream_options?.include_usage === true);
  const events = mergeChoices(
    sequences.map((sequence, index) =>
      generateChoice(runtime, sequence, promptTokens, {
        ...params,
        grammar,
        seed: seed + index,
      }),
    ),
    abort.signal,
  );
  metrics.tokens.inc({ kind: "prompt" }, promptTokens.length);
  try {
    const run: ChoiceRun = {
      events,
      observe: metricsObserver(metrics, started),
      n,
      shaper,
      promptTokens,
      response,
      toolCall: tools !== undefined,
      signal: abort.signal,
    };
    const outcome = body.stream ? await streamChoices(run) : await collectChoices(run);
    metrics.tokens.inc({ kind: "completion" }, outcome.completionTokens);
    return outcome;
  } finally {
    response.off("close", onClose);
    void pool.release(sequences);
  }
}

async function structuredGrammar(
  runtime: Runtime,
  body: ChatBody,
  tools: ChatBody["tools"],
): Promise<LlamaGrammar | undefined> {
  const schemaGrammar = (schema: object) => {
    const reference = unresolvedReference(schema);
    if (reference !== undefined)
      throw new Error(`"$ref": "${reference}" does not name an entry of the schema's own "$defs"`);
    return runtime.structuredGrammar("schema", schema);
  };
  try {
    if (tools) return await schemaGrammar(toolCallSchema(tools));
    const format = body.response_format;
    if (format?.type === "json_object") {
      return format.schema ? await schemaGrammar(format.schema) : await runtime.structuredGrammar("json");
    }
    if (format?.type === "json_schema") return await schemaGrammar(format.json_schema?.schema ?? {});
    return undefined;
  } catch (error) {
    const what = tools ? "tools[].function.parameters" : "response_format";
    throw new HttpError(
      400,
      `The JSON Schema in ${what} cannot be turned into a grammar: ${(error as Error).message}`,
      "invalid_request_error",
      what,
    );
  }
}

/** Runs every choice at once (they share the context's batches) and hands out their events in arrival order. */
async function* mergeChoices(
  generators: AsyncGenerator<GeneratedPiece, GenerationResult, undefined>[],
  signal: AbortSignal,
): AsyncGenerator<ChoiceEvent> {
  const pending = new Map<number, Promise<{ index: number; step: IteratorResult<GeneratedPiece, GenerationResult> }>>();
  const pull = (index: number) => {
    const generator = generators[index] as AsyncGenerator<GeneratedPiece, GenerationResult, undefined>;
    pending.set(
      index,
      generator.next().then((step) => ({ index, step })),
    );
  };
  for (let index = 0; index < generators.length; index++) pull(index);
  try {
    while (pending.size > 0) {
      if (signal.aborted) return;
      const { index, step } = await Promise.race(pending.values());
      if (step.done) {
        pending.delete(index);
        yield { kind: "done", index, result: step.value };
      } else {
        pull(index);
        yield { kind: "piece", index, piece: step.value };
      }
    }
  } finally {
    // Stops choices still running (client gone, or an error): each frees its evaluation.
    await Promise.allSettled(generators.map((generator) => generator.return(undefined as never)));
  }
}

/** Records time to first token and each finished choice's tokens/s, as the events go by. */
function metricsObserver(metrics: ServerMetrics, started: number): (event: ChoiceEvent) => void {
  const seconds = () => (performance.now() - started) / 1000;
  let firstToken = true;
  return (event) => {
    if (event.kind === "piece" && firstToken) {
      firstToken = false;
      metrics.timeToFirstToken.observe(seconds());
    } else if (event.kind === "done") {
      metrics.tokensPerSecond.observe(event.result.completionTokens / Math.max(1e-3, seconds()));
    }
  };
}

function usageOf(promptTokens: readonly Token[], completionTokens: number): Usage {
  return {
    prompt_tokens: promptTokens.length,
    completion_tokens: completionTokens,
    total_tokens: promptTokens.length + completionTokens,
  };
}

/**
 * The tool call a forced choice wrote, or undefined when its text is not a whole call: a stop
 * string can cut the grammar's JSON short, and then the choice is answered as text.
 */
function toolCallFrom(
  text: string,
  index: number,
): { id: string; type: "function"; function: { name: string; arguments: string } } | undefined {
  let call: unknown;
  try {
    call = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof call !== "object" || call === null) return undefined;
  const { name, arguments: args } = call as { name?: unknown; arguments?: unknown };
  if (typeof name !== "string" || args === undefined) return undefined;
  return {
    id: `call_${randomUUID().replace(/-/g, "").slice(0, 24)}_${index}`,
    type: "function",
    function: { name, arguments: JSON.stringify(args) },
  };
}

async function streamChoices(run: ChoiceRun): Promise<ChatOutcome> {
  const { events, observe, n, shaper, promptTokens, response, toolCall, signal } = run;
  const writer = new SSEWriter(response);
  const texts = Array.from({ length: n }, () => "");
  const roleSent = new Array<boolean>(n).fill(false);
  let finished = 0;
  let completionTokens = 0;
  const send = async (update: ChoiceUpdate, usage?: Usage) => {
    if (!roleSent[update.index]) {
      roleSent[update.index] = true;
      update.role = "assistant";
      if (update.content === undefined && !update.tool_calls) update.content = "";
    }
    await writer.event(shaper.chunk(update, usage));
  };
  // The events end early when the client leaves (mergeChoices watches the signal).
  for await (const event of events) {
    observe(event);
    if (event.kind === "piece") {
      texts[event.index] += event.piece.text;
      // A forced tool call is sent whole when it is complete: its arguments are only known then.
      if (!toolCall)
        await send({
          index: event.index,
          content: event.piece.text,
          ...(event.piece.logprobs.length > 0 && { logprobs: event.piece.logprobs }),
        });
      continue;
    }
    finished += 1;
    completionTokens += event.result.completionTokens;
    let finish: FinishReason = event.result.finishReason;
    const text = texts[event.index] as string;
    const call = toolCall && finish === "stop" ? toolCallFrom(text, event.index) : undefined;
    if (call) {
      await send({
        index: event.index,
        content: null,
        tool_calls: [
          { index: 0, id: call.id, type: "function", function: { name: call.function.name, arguments: "" } },
        ],
      });
      for (const piece of splitArguments(call.function.arguments))
        await send({ index: event.index, tool_calls: [{ index: 0, function: { arguments: piece } }] });
      finish = "tool_calls";
    } else if (toolCall) {
      await send({ index: event.index, content: text });
    }
    const lastChoice = finished === n;
    const usage = lastChoice && shaper.usageOnLastChoiceChunk ? usageOf(promptTokens, completionTokens) : undefined;
    await send({ index: event.index, finish_reason: finish, generated_text: text }, usage);
  }
  if (signal.aborted) return { completionTokens };
  const usageChunk = shaper.usageChunk(usageOf(promptTokens, completionTokens));
  if (usageChunk) await writer.event(usageChunk);
  await writer.done();
  return { completionTokens };
}

/** Arguments sent in a few pieces, as providers stream them. */
function splitArguments(text: string): string[] {
  const size = Math.max(1, Math.ceil(text.length / 4));
  const pieces: string[] = [];
  for (let at = 0; at < text.length; at += size) pieces.push(text.slice(at, at + size));
  return pieces;
}

async function collectChoices(run: ChoiceRun): Promise<ChatOutcome> {
  const { events, observe, n, shaper, promptTokens, response, toolCall } = run;
  const texts = Array.from({ length: n }, () => "");
  const logprobs = Array.from({ length: n }, (): TokenLogprob[] => []);
  const results: GenerationResult[] = [];
  for await (const event of events) {
    observe(event);
    if (event.kind === "piece") {
      texts[event.index] += event.piece.text;
      logprobs[event.index]?.push(...event.piece.logprobs);
    } else {
      results[event.index] = event.result;
    }
  }
  if (results.length < n || results.some((result) => result === undefined)) return { completionTokens: 0 };
  const completionTokens = results.reduce((sum, result) => sum + result.completionTokens, 0);
  const wantLogprobs = shaper.dialect !== "predictionguard" && logprobs.some((entries) => entries.length > 0);
  const choices = results.map((result, index) => {
    const text = texts[index] as string;
    const call = toolCall && result.finishReason === "stop" ? toolCallFrom(text, index) : undefined;
    if (call) {
      return {
        index,
        message: { role: "assistant", content: null, tool_calls: [call] },
        logprobs: null,
        finish_reason: "tool_calls",
      };
    }
    return {
      index,
      message: { role: "assistant", content: text },
      logprobs: wantLogprobs ? { content: logprobs[index] } : null,
      finish_reason: result.finishReason,
    };
  });
  sendJSON(response, 200, {
    id: shaper.id,
    object: "chat.completion",
    created: shaper.created,
    model: shaper.model,
    choices,
    usage: usageOf(promptTokens, completionTokens),
  });
  return { completionTokens };
}
