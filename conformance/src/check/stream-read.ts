import type { ServerSentEvent } from "@chatwire/core";
import { parseJson } from "@chatwire/core/internal";
import { isObject, type JsonObject } from "../json.js";

/** A parsed chunk and the 1-based number of the event it came in, for messages. */
export interface Chunk {
  event: number;
  value: JsonObject;
}

/** A stream as the checks see it: raw events, and the chunks a client would act on. */
export interface StreamRead {
  /** Which probe this was, e.g. "the plain stream", for messages. */
  label: string;
  contentType: string;
  events: readonly ServerSentEvent[];
  /** Index in `events` of the first done sentinel, or -1. */
  sentinelAt: number;
  /**
   * The JSON objects before the sentinel. What comes after a sentinel is judged by the framing
   * checks alone (a client has stopped reading by then), so one framing slip trips one check.
   */
  chunks: readonly Chunk[];
  /** Events before the sentinel whose data is not a JSON object. */
  unparsable: readonly { event: number; data: string; reason: string }[];
}

export function readStream(
  label: string,
  contentType: string,
  events: readonly ServerSentEvent[],
  sentinel: string | null,
): StreamRead {
  const sentinelAt = sentinel === null ? -1 : events.findIndex((event) => event.data === sentinel);
  const before = sentinelAt === -1 ? events : events.slice(0, sentinelAt);
  const chunks: Chunk[] = [];
  const unparsable: { event: number; data: string; reason: string }[] = [];
  before.forEach((event, index) => {
    const parsed = parseJson(event.data);
    if (!parsed.ok) {
      unparsable.push({ event: index + 1, data: event.data, reason: parsed.reason });
      return;
    }
    const value = parsed.value;
    if (isObject(value)) chunks.push({ event: index + 1, value });
    else unparsable.push({ event: index + 1, data: event.data, reason: "it is JSON but not an object" });
  });
  return { label, contentType, events, sentinelAt, chunks, unparsable };
}

/** The choice objects of a chunk (anything else in `choices` is the envelope checks' business). */
export function choicesOf(chunk: JsonObject): JsonObject[] {
  const choices = chunk.choices;
  return Array.isArray(choices) ? choices.filter(isObject) : [];
}

/** One choice's part of one chunk. */
export interface ChoicePart {
  event: number;
  choice: JsonObject;
  delta: JsonObject;
}

/** The parts of every choice, by choice index, in stream order. */
export function partsByChoice(stream: StreamRead): Map<number, ChoicePart[]> {
  const byIndex = new Map<number, ChoicePart[]>();
  for (const chunk of stream.chunks) {
    for (const choice of choicesOf(chunk.value)) {
      if (typeof choice.index !== "number") continue;
      const delta = isObject(choice.delta) ? choice.delta : {};
      const parts = byIndex.get(choice.index) ?? [];
      parts.push({ event: chunk.event, choice, delta });
      byIndex.set(choice.index, parts);
    }
  }
  return byIndex;
}

/** The text a choice's deltas add up to. */
export function contentOf(parts: readonly ChoicePart[]): string {
  return parts.map((part) => (typeof part.delta.content === "string" ? part.delta.content : "")).join("");
}

/** The non-null finish reasons a choice was given, with where. */
export function finishesOf(parts: readonly ChoicePart[]): { event: number; reason: unknown }[] {
  return parts
    .filter((part) => part.choice.finish_reason !== undefined && part.choice.finish_reason !== null)
    .map((part) => ({ event: part.event, reason: part.choice.finish_reason }));
}

/** The chunks that carry a usage object (not null, not absent). */
export function usageChunks(stream: StreamRead): Chunk[] {
  return stream.chunks.filter((chunk) => chunk.value.usage !== undefined && chunk.value.usage !== null);
}
