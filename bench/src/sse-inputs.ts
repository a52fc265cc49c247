/**
 * The inputs of the SSE parsing benchmark, as bytes cut into pieces:
 * (a) a chat stream in the exact shape the reference server sends for the Gradient/OpenAI dialect,
 *     with its ASCII vocabulary, in network-sized pieces of 1–16 KiB;
 * (b) the same shape fed one byte at a time;
 * (c) 2,000 events of 4–64 KiB each (long contents with some multi-byte characters), 1–16 KiB pieces;
 * (d) like (a), but with a non-ASCII word now and then, as most real text has.
 * Everything is deterministic, so every run and every contender sees the same bytes.
 */
import { ASCII_WORDS, buildChatStream, cutIntoPieces, MIXED_WORDS, seededUint32 } from "./chat-stream.js";

export interface SseInput {
  /** "(a) chat stream, 1–16 KiB pieces" and the like. */
  label: string;
  pieces: Uint8Array[];
  bytes: number;
  /** Events a correct parser dispatches, `[DONE]` included. */
  events: number;
}

export interface InputSizes {
  chatChunks: number;
  byteAtATimeChunks: number;
  bigEvents: number;
}

export const FULL_SIZES: InputSizes = { chatChunks: 20_000, byteAtATimeChunks: 2_000, bigEvents: 2_000 };

const KiB = 1024;
const count = (n: number) => n.toLocaleString("en-US");

function chatInput(label: string, chunks: number, words: readonly string[], min: number, max: number): SseInput {
  const stream = buildChatStream(chunks, words, { min, max });
  // Every JSON chunk is an event, and so is the closing `[DONE]`.
  return { label, pieces: [...stream.pieces], bytes: stream.byteLength, events: chunks + 1 };
}

function bigEventsInput(events: number): SseInput {
  const next = seededUint32(2);
  const random = () => next() / 2 ** 32;
  const parts: string[] = [];
  for (let i = 0; i < events; i++) {
    const target = 4 * KiB + Math.floor(random() * 60 * KiB);
    const words: string[] = [];
    for (let length = 0; length < target; ) {
      const word =
        random() < 0.05 ? " café €5 naïve" : (ASCII_WORDS[Math.floor(random() * ASCII_WORDS.length)] as string);
      words.push(word);
      length += word.length;
    }
    const content = words.join("");
    const chunk = { id: "chatcmpl-big", object: "chat.completion.chunk", created: 1795897559, model: "chatwire-tiny" };
    const choices = [{ index: 0, delta: { content }, logprobs: null, finish_reason: null }];
    parts.push(`data: ${JSON.stringify({ ...chunk, choices, usage: null })}\n\n`);
  }
  const bytes = new TextEncoder().encode(parts.join(""));
  return {
    label: `(c) ${count(events)} events of 4–64 KiB, 1–16 KiB pieces`,
    pieces: cutIntoPieces(bytes, KiB, 16 * KiB),
    bytes: bytes.length,
    events,
  };
}

export function buildInputs(sizes: InputSizes): Record<"a" | "b" | "c" | "d", SseInput> {
  return {
    a: chatInput(
      `(a) ${count(sizes.chatChunks)}-chunk chat stream, 1–16 KiB pieces`,
      sizes.chatChunks,
      ASCII_WORDS,
      KiB,
      16 * KiB,
    ),
    // One byte at a time costs every contender a call per byte, so (b) is a shorter stream of the same shape.
    b: chatInput(
      `(b) ${count(sizes.byteAtATimeChunks)}-chunk chat stream, one byte at a time`,
      sizes.byteAtATimeChunks,
      ASCII_WORDS,
      1,
      1,
    ),
    c: bigEventsInput(sizes.bigEvents),
    d: chatInput(`(d) (a) with some non-ASCII words`, sizes.chatChunks, MIXED_WORDS, KiB, 16 * KiB),
  };
}
