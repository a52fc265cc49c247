/**
 * The completion a stream adds up to, as a fixture expects it: written from the spec and
 * spec/dialects.json, on purpose apart from core's accumulator (the code under test), and held
 * to agree with it on every fixture by expected-completion.test.ts.
 *
 * What the spec says a stream adds up to, per choice (by `index`, in index order):
 * - `message.role`: the role a delta named (the first delta carries it), else `assistant`;
 * - `message.content`: every `delta.content` string joined, null when none came; a choice that
 *   calls tools and streamed only `""` as content has null, as the unstreamed reply does;
 *   Prediction Guard's `generated_text` (the whole text, on the last chunk) stands in when no
 *   content delta came;
 * - `message.refusal`, `message.reasoning_content`: joined, present only when a delta had them;
 * - `message.tool_calls`: pieces grouped by their `index`; id, type and name from the first piece
 *   that has them, `arguments` joined;
 * - `finish_reason`: the last non-null one, null when none came;
 * - `logprobs`: the object form's `content` and `refusal` lists joined; null when every chunk said
 *   null; left out for Prediction Guard's per-token number, which is no Logprobs object.
 * Over the stream: id, model and created from the first chunk that has them (non-empty), the last
 * non-null `usage` (null when the dialect only ever said null), `system_fingerprint`, and OctoAI's
 * `prompt_logprobs` (`OctoAIChatCompletionChunk`: on the first chunk, once for all choices) from the
 * chunk that carries them, null when only nulls came.
 */
import type { JsonObject } from "../json.js";
import { isObject } from "../json.js";

/** Why the chunks cannot be one completion (a stream of things that are not chunks). */
export class NotAssemblable extends Error {}

interface ToolCallSum {
  id?: string;
  type?: string;
  name?: string;
  args: string[];
}

interface ChoiceSum {
  role?: string;
  content: string[] | undefined;
  refusal: string[] | undefined;
  reasoning: string[] | undefined;
  generatedText?: string;
  toolCalls: Map<number, ToolCallSum>;
  finishReason: unknown;
  /** "object" once a Logprobs object came, null while only nulls came. */
  logprobs?: "object" | null;
  /** Prediction Guard's shape: a null logprobs there is a token without a number, not "no logprobs". */
  numericLogprobs: boolean;
  logprobContent: unknown[] | null | undefined;
  logprobRefusal: unknown[] | null | undefined;
}

const isIndex = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;

function join(list: string[] | undefined, piece: unknown): string[] | undefined {
  if (typeof piece !== "string") return list;
  const target = list ?? [];
  target.push(piece);
  return target;
}

function joinLogprobs(list: unknown[] | null | undefined, entries: unknown): unknown[] | null | undefined {
  if (entries === undefined) return list;
  if (!Array.isArray(entries)) return list ?? null;
  const target = list ?? [];
  for (const entry of entries) target.push(entry);
  return target;
}

/** The completion `chunks` add up to; throws NotAssemblable when they have no chunk's shape. */
export function expectedCompletion(chunks: readonly unknown[]): JsonObject {
  if (chunks.length === 0) throw new NotAssemblable("the stream carried no chunk");
  let id: unknown;
  let model: unknown;
  let created: unknown;
  let fingerprint: unknown;
  let usage: unknown;
  let promptLogprobs: unknown;
  const choices = new Map<number, ChoiceSum>();
  chunks.forEach((chunk, position) => {
    if (!isObject(chunk)) throw new NotAssemblable(`chunk ${position + 1} is not an object`);
    if (!id) id = chunk.id;
    if (!model) model = chunk.model;
    if (!created) created = chunk.created;
    if (chunk.system_fingerprint !== undefined && !fingerprint) fingerprint = chunk.system_fingerprint;
    if (chunk.usage !== undefined && (chunk.usage !== null || usage === undefined)) usage = chunk.usage;
    // Kept from the chunk that carries them: a later null does not take them back.
    if (chunk.prompt_logprobs !== undefined && !promptLogprobs) promptLogprobs = chunk.prompt_logprobs;
    if (!Array.isArray(chunk.choices)) throw new NotAssemblable(`chunk ${position + 1} has no choices array`);
    for (const part of chunk.choices as unknown[]) {
      const index = isObject(part) ? part.index : undefined;
      if (!isObject(part) || !isIndex(index))
        throw new NotAssemblable(`chunk ${position + 1} has a choice without an index`);
      let sum = choices.get(index);
      if (!sum) {
        sum = {
          content: undefined,
          refusal: undefined,
          reasoning: undefined,
          toolCalls: new Map(),
          finishReason: null,
          numericLogprobs: false,
          logprobContent: undefined,
          logprobRefusal: undefined,
        };
        choices.set(index, sum);
      }
      addPart(sum, part, position);
    }
  });
  const completion: JsonObject = {
    id: id ?? "",
    object: "chat.completion",
    created: created ?? 0,
    model: model ?? "",
    choices: [...choices.entries()].sort(([a], [b]) => a - b).map(([index, sum]) => choiceOf(index, sum)),
  };
  if (usage !== undefined) completion.usage = usage;
  if (fingerprint !== undefined) completion.system_fingerprint = fingerprint;
  if (promptLogprobs !== undefined) completion.prompt_logprobs = promptLogprobs;
  return completion;
}

function addPart(sum: ChoiceSum, part: JsonObject, position: number): void {
  const delta = isObject(part.delta) ? part.delta : {};
  if (typeof delta.role === "string") sum.role = delta.role;
  sum.content = join(sum.content, delta.content);
  sum.refusal = join(sum.refusal, delta.refusal);
  sum.reasoning = join(sum.reasoning, delta.reasoning_content);
  if (Array.isArray(delta.tool_calls)) {
    for (const piece of delta.tool_calls as unknown[]) {
      const index = isObject(piece) ? piece.index : undefined;
      if (!isObject(piece) || !isIndex(index)) {
        throw new NotAssemblable(`chunk ${position + 1} has a tool call piece without an index`);
      }
      let call = sum.toolCalls.get(index);
      if (!call) {
        call = { args: [] };
        sum.toolCalls.set(index, call);
      }
      if (!call.id && typeof piece.id === "string") call.id = piece.id;
      if (call.type === undefined && typeof piece.type === "string") call.type = piece.type;
      const fn = isObject(piece.function) ? piece.function : {};
      if (!call.name && typeof fn.name === "string") call.name = fn.name;
      if (typeof fn.arguments === "string") call.args.push(fn.arguments);
    }
  }
  if (part.finish_reason !== undefined && part.finish_reason !== null) sum.finishReason = part.finish_reason;
  if (part.logprobs === null) sum.logprobs ??= null;
  else if (typeof part.logprobs === "number") sum.numericLogprobs = true;
  else if (isObject(part.logprobs)) {
    sum.logprobs = "object";
    sum.logprobContent = joinLogprobs(sum.logprobContent, part.logprobs.content);
    sum.logprobRefusal = joinLogprobs(sum.logprobRefusal, part.logprobs.refusal);
  }
  if (part.generated_text !== undefined) {
    sum.numericLogprobs = true;
    if (typeof part.generated_text === "string") sum.generatedText = part.generated_text;
  }
}

function choiceOf(index: number, sum: ChoiceSum): JsonObject {
  const calls = [...sum.toolCalls.entries()].sort(([a], [b]) => a - b);
  let content: string | null = sum.content ? sum.content.join("") : null;
  if (content === "" && calls.length > 0) content = null;
  if (content === null && sum.generatedText !== undefined) content = sum.generatedText;
  const message: JsonObject = { role: sum.role ?? "assistant", content };
  if (sum.refusal) message.refusal = sum.refusal.join("");
  if (sum.reasoning) message.reasoning_content = sum.reasoning.join("");
  if (calls.length > 0) {
    message.tool_calls = calls.map(([, call]) => ({
      id: call.id ?? "",
      type: call.type ?? "function",
      function: { name: call.name ?? "", arguments: call.args.join("") },
    }));
  }
  const choice: JsonObject = { index, message, finish_reason: sum.finishReason };
  if (sum.logprobs === null && !sum.numericLogprobs) choice.logprobs = null;
  else if (sum.logprobs === "object") {
    const logprobs: JsonObject = {};
    if (sum.logprobContent !== undefined) logprobs.content = sum.logprobContent;
    if (sum.logprobRefusal !== undefined) logprobs.refusal = sum.logprobRefusal;
    choice.logprobs = logprobs;
  }
  return choice;
}
