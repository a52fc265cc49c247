/**
 * Turns a streamed chat completion back into the response the same request would have got without
 * `stream: true`. One accumulator serves all three dialects:
 *
 * - OpenAI / DigitalOcean Gradient: usage arrives on a last chunk whose `choices` is empty; every
 *   other chunk says `usage: null`.
 * - OctoAI: usage rides on the last chunk that still carries choices; with `loglikelihood`, the first
 *   chunk carries `prompt_logprobs` at the top level, once for all choices, and so does the result.
 * - Prediction Guard: each choice carries `generated_text` (null until the last chunk, which holds the
 *   whole text) and a per-token numeric `logprobs`, which is not the `Logprobs` object of a response
 *   and is therefore never copied into the result.
 *
 * Streams are long (one chunk per token) and `result()` may be asked for at any point, so `add()`
 * only appends: text pieces are kept as TextPieces (compact, joined when a result is asked for),
 * never concatenated once per chunk, and nothing copies the whole state per chunk.
 * See spec/dialects.json for where each provider puts what.
 */
import { StreamError } from "../errors.js";
import type {
  ChatCompletion,
  ChatCompletionChunk,
  Choice,
  FinishReason,
  Logprobs,
  OctoAIChatCompletion,
  OctoAIChatCompletionChunk,
  PredictionGuardChatCompletionChunk,
  PromptLogprobs,
  ResponseMessage,
  Role,
  TokenLogprob,
  ToolCall,
  ToolCallDelta,
  Usage,
} from "../generated/types.js";
import { TextPieces } from "./text-pieces.js";

export type AnyChatCompletionChunk =
  | ChatCompletionChunk
  | OctoAIChatCompletionChunk
  | PredictionGuardChatCompletionChunk;

/** A completion as the chunks add it up: the common response, with OctoAI's `prompt_logprobs` when a chunk had them. */
export type AccumulatedCompletion = ChatCompletion & Pick<OctoAIChatCompletion, "prompt_logprobs">;

/**
 * Text that arrives in pieces. `undefined` until the first piece: "no fragment ever came" (content
 * null, refusal absent) is not the same as "an empty fragment came" (content "").
 */
type Fragments = TextPieces | undefined;

function appendTo(fragments: Fragments, piece: unknown): Fragments {
  if (typeof piece !== "string") return fragments;
  const target = fragments ?? new TextPieces();
  target.push(piece);
  return target;
}

/**
 * A logprobs list across chunks: `undefined` while no chunk had the key, `null` while every chunk
 * that had it said null, an array once one sent entries.
 */
type LogprobList = TokenLogprob[] | null | undefined;

function appendLogprobs(list: LogprobList, entries: TokenLogprob[] | null | undefined): LogprobList {
  if (entries === undefined) return list;
  if (entries === null) return list ?? null;
  const target = list ?? [];
  // A loop, not push(...entries): spreading a long array into arguments can overflow the stack.
  for (const entry of entries) target.push(entry);
  return target;
}

interface ToolCallState {
  index: number;
  id: string | undefined;
  type: "function" | undefined;
  name: string | undefined;
  arguments: TextPieces;
}

interface ChoiceState {
  index: number;
  role: Role | undefined;
  content: Fragments;
  refusal: Fragments;
  reasoning: Fragments;
  /** Prediction Guard's whole text, from the last chunk; used only if no content delta came. */
  generatedText: string | undefined;
  /** Tool calls by their `index`; pieces of one call share it. */
  toolCalls: Map<number, ToolCallState> | undefined;
  finishReason: FinishReason | null;
  /**
   * What the chunks' `logprobs` were: `undefined` while none had the key, `null` while all said null,
   * `object` once one sent the object form. Prediction Guard's per-token number counts as neither.
   */
  logprobs: "object" | null | undefined;
  /**
   * Whether the choice is in Prediction Guard's shape (a `generated_text` key or a numeric
   * `logprobs`): there a null `logprobs` means "no number for this token", not "no logprobs object".
   */
  predictionGuard: boolean;
  logprobsContent: LogprobList;
  logprobsRefusal: LogprobList;
}

function newChoice(index: number): ChoiceState {
  return {
    index,
    role: undefined,
    content: undefined,
    refusal: undefined,
    reasoning: undefined,
    generatedText: undefined,
    toolCalls: undefined,
    finishReason: null,
    logprobs: undefined,
    predictionGuard: false,
    logprobsContent: undefined,
    logprobsRefusal: undefined,
  };
}

/** Chunks that cannot be added up: only `finalCompletion()` and `accumulateChunks()` fail with it. */
const unassemblable = (message: string): StreamError => new StreamError(message, "unassemblable");

const isIndex = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;
const byIndex = (a: { index: number }, b: { index: number }): number => a.index - b.index;

/**
 * Folds chat-completion chunks, in the order they arrived, into a `ChatCompletion`.
 *
 * ```ts
 * const accumulator = new ChunkAccumulator();
 * for await (const chunk of stream) accumulator.add(chunk);
 * const completion = accumulator.result();
 * ```
 *
 * `result()` returns a fresh object each time and may be called mid-stream; `add()` may go on after it.
 */
export class ChunkAccumulator {
  #chunks = 0;
  #id: string | undefined;
  #created: number | undefined;
  #model: string | undefined;
  /** `undefined`: no chunk had the key; `null`: only nulls came. Same for usage. */
  #systemFingerprint: string | null | undefined;
  #usage: Usage | null | undefined;
  /** OctoAI's prompt scores, from the chunk that carries them; `null` while only nulls came. */
  #promptLogprobs: PromptLogprobs | null | undefined;
  readonly #choices = new Map<number, ChoiceState>();
  /** The choice the previous delta went to: with n = 1 every chunk hits it, so the map is skipped. */
  #lastChoice: ChoiceState | undefined;

  add(chunk: AnyChatCompletionChunk): void {
    this.#chunks += 1;
    if (typeof chunk !== "object" || chunk === null) {
      throw unassemblable(
        `Chunk ${this.#chunks} of the stream is ${chunk === null ? "null" : typeof chunk}, not a chat-completion chunk object, so the completion cannot be assembled.`,
      );
    }
    // Take identity from the first chunk that has it: some proxies send filler chunks with empty ids.
    if (this.#id === undefined || this.#id === "") this.#id = chunk.id;
    if (this.#model === undefined || this.#model === "") this.#model = chunk.model;
    if (this.#created === undefined || this.#created === 0) this.#created = chunk.created;
    if ("system_fingerprint" in chunk && chunk.system_fingerprint !== undefined && !this.#systemFingerprint) {
      this.#systemFingerprint = chunk.system_fingerprint;
    }
    if ("usage" in chunk && chunk.usage !== undefined) {
      // The last non-null usage wins; a null only records that the provider has a usage field.
      if (chunk.usage !== null) this.#usage = chunk.usage;
      else if (this.#usage === undefined) this.#usage = null;
    }
    if ("prompt_logprobs" in chunk && chunk.prompt_logprobs !== undefined) {
      // One chunk carries them (the first); a later null does not take them back.
      if (chunk.prompt_logprobs !== null) this.#promptLogprobs ??= chunk.prompt_logprobs;
      else if (this.#promptLogprobs === undefined) this.#promptLogprobs = null;
    }

    const choices = chunk.choices;
    if (!Array.isArray(choices)) {
      throw unassemblable(
        `Chunk ${this.#chunks} of the stream has ${choices === undefined ? "no" : `a non-array (${typeof choices})`} \`choices\`, so the completion cannot be assembled.`,
      );
    }
    for (const part of choices) {
      const index: unknown = part?.index;
      if (!isIndex(index)) {
        throw unassemblable(
          `Chunk ${this.#chunks} of the stream has a choice with index ${JSON.stringify(index)}; a choice index must be an integer >= 0.`,
        );
      }
      let state = this.#lastChoice;
      if (state === undefined || state.index !== index) {
        state = this.#choices.get(index);
        if (state === undefined) {
          state = newChoice(index);
          this.#choices.set(index, state);
        }
        this.#lastChoice = state;
      }

      const delta = part.delta;
      if (delta !== undefined && delta !== null) {
        if (delta.role !== undefined && delta.role !== null) state.role = delta.role;
        state.content = appendTo(state.content, delta.content);
        state.refusal = appendTo(state.refusal, delta.refusal);
        state.reasoning = appendTo(state.reasoning, delta.reasoning_content);
        if (delta.tool_calls) this.#addToolCalls(state, delta.tool_calls);
      }

      if (part.finish_reason !== undefined && part.finish_reason !== null) state.finishReason = part.finish_reason;

      const logprobs: unknown = part.logprobs;
      if (logprobs === null) state.logprobs ??= null;
      // Prediction Guard sends a bare number per token: not the response's Logprobs object.
      else if (typeof logprobs === "number") state.predictionGuard = true;
      else if (typeof logprobs === "object") {
        state.logprobs = "object";
        const { content, refusal } = logprobs as Logprobs;
        state.logprobsContent = appendLogprobs(state.logprobsContent, content);
        state.logprobsRefusal = appendLogprobs(state.logprobsRefusal, refusal);
      }

      if ("generated_text" in part && part.generated_text !== undefined) {
        state.predictionGuard = true;
        if (typeof part.generated_text === "string") state.generatedText = part.generated_text;
      }
    }
  }

  #addToolCalls(state: ChoiceState, pieces: readonly ToolCallDelta[]): void {
    state.toolCalls ??= new Map();
    for (const piece of pieces) {
      const index: unknown = piece?.index;
      if (!isIndex(index)) {
        throw unassemblable(
          `Chunk ${this.#chunks} of the stream has a tool call piece with index ${JSON.stringify(index)} in choice ${state.index}; a tool call index must be an integer >= 0.`,
        );
      }
      let call = state.toolCalls.get(index);
      if (call === undefined) {
        call = { index, id: undefined, type: undefined, name: undefined, arguments: new TextPieces() };
        state.toolCalls.set(index, call);
      }
      // The first piece names the call; providers that repeat the id or name on later pieces repeat it
      // unchanged, so only the first is kept (concatenating would double it).
      if (!call.id && typeof piece.id === "string") call.id = piece.id;
      if (call.type === undefined && piece.type !== undefined) call.type = piece.type;
      const fn = piece.function;
      if (fn) {
        if (!call.name && typeof fn.name === "string") call.name = fn.name;
        if (typeof fn.arguments === "string") call.arguments.push(fn.arguments);
      }
    }
  }

  /** The completion so far; throws StreamError if no chunk was added. */
  result(): AccumulatedCompletion {
    if (this.#chunks === 0) {
      throw unassemblable(
        "No chunk was added, so there is no completion to assemble: the stream ended before its first chunk. Retry the request.",
      );
    }
    const choices = [...this.#choices.values()].sort(byIndex).map(toChoice);
    // The ?? fallbacks only matter for chunks that skipped validation and lack these required fields.
    const completion: AccumulatedCompletion = {
      id: this.#id ?? "",
      object: "chat.completion",
      created: this.#created ?? 0,
      model: this.#model ?? "",
      choices,
    };
    if (this.#usage !== undefined) completion.usage = this.#usage;
    if (this.#systemFingerprint !== undefined) completion.system_fingerprint = this.#systemFingerprint;
    // Copied, as the choices' lists are, so that changing one result leaves the next as it was.
    if (this.#promptLogprobs !== undefined) completion.prompt_logprobs = this.#promptLogprobs?.slice() ?? null;
    return completion;
  }
}

function toChoice(state: ChoiceState): Choice {
  const hasToolCalls = state.toolCalls !== undefined && state.toolCalls.size > 0;
  let content: string | null = null;
  if (state.content !== undefined) content = state.content.text();
  // Servers that open a tool-call answer with `content: ""` (vLLM, llama.cpp) answer null unstreamed.
  if (content === "" && hasToolCalls) content = null;
  if (content === null && state.generatedText !== undefined) content = state.generatedText;

  // The spec types a response message's role as "assistant"; a delta may name any Role, and what the
  // provider said is kept rather than silently rewritten.
  const message: ResponseMessage = { role: (state.role ?? "assistant") as ResponseMessage["role"], content };
  if (state.refusal !== undefined) message.refusal = state.refusal.text();
  if (state.reasoning !== undefined) message.reasoning_content = state.reasoning.text();
  if (hasToolCalls && state.toolCalls !== undefined) {
    message.tool_calls = [...state.toolCalls.values()].sort(byIndex).map(toToolCall);
  }

  const choice: Choice = { index: state.index, message, finish_reason: state.finishReason };
  // Chunks that only ever said `logprobs: null` leave the choice's logprobs null, as unstreamed; the
  // lists are copied so that a later add() does not change a result already handed out.
  if (state.logprobs === null && !state.predictionGuard) choice.logprobs = null;
  else if (state.logprobs === "object") {
    const logprobs: Logprobs = {};
    if (state.logprobsContent !== undefined) logprobs.content = state.logprobsContent?.slice() ?? null;
    if (state.logprobsRefusal !== undefined) logprobs.refusal = state.logprobsRefusal?.slice() ?? null;
    choice.logprobs = logprobs;
  }
  return choice;
}

function toToolCall(call: ToolCallState): ToolCall {
  return {
    id: call.id ?? "",
    type: call.type ?? "function",
    function: { name: call.name ?? "", arguments: call.arguments.text() },
  };
}

/** The whole completion that `chunks` add up to, as the unstreamed call would have returned it. */
export function accumulateChunks(chunks: Iterable<AnyChatCompletionChunk>): AccumulatedCompletion {
  const accumulator = new ChunkAccumulator();
  for (const chunk of chunks) accumulator.add(chunk);
  return accumulator.result();
}
