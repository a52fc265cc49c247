/**
 * The three inputs of the SSE parsing benchmark, as bytes cut into pieces:
 * (a) a chat stream of 20,000 chunks in the exact shape the reference server sends for the
 *     Gradient/OpenAI dialect, in network-sized pieces of 1–16 KiB;
 * (b) the same shape fed one byte at a time;
 * (c) 2,000 events of 4–64 KiB each (long contents with some multi-byte characters), 1–16 KiB pieces.
 * Everything comes from a seeded generator, so every run and every contender sees the same bytes.
 */

export interface SseInput {
  /** "(a) chat stream, 1–16 KiB pieces" and the like. */
  label: string;
  pieces: Uint8Array[];
  bytes: number;
  /** Events a correct parser dispatches, `[DONE]` included. */
  events: number;
}

const WORDS = ["the", "sea", "mountain", "river", "any", "numeral", "sing", "light", "over", "stone", "wind", "go"];

/** A small deterministic generator (LCG): the inputs must not change between runs. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function chunkLine(id: string, delta: object, finishReason: string | null): string {
  const chunk = {
    id,
    object: "chat.completion.chunk",
    created: 1795897559,
    model: "chatwire-tiny",
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    usage: null,
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/** A whole chat stream: role in the first delta, one finish, a usage chunk, then `[DONE]`. */
export function chatStreamText(chunks: number, seed = 1): string {
  const random = seeded(seed);
  const id = "chatcmpl-3f4fe892f7704dd49590f696";
  const parts: string[] = [];
  for (let i = 0; i < chunks - 1; i++) {
    const word = WORDS[Math.floor(random() * WORDS.length)] as string;
    const content = i === 0 ? word : ` ${word}`;
    parts.push(chunkLine(id, i === 0 ? { role: "assistant", content } : { content }, null));
  }
  parts.push(chunkLine(id, {}, "length"));
  const usage = { prompt_tokens: 19, completion_tokens: chunks - 1, total_tokens: chunks + 18 };
  parts.push(
    `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created: 1795897559, model: "chatwire-tiny", choices: [], usage })}\n\n`,
  );
  parts.push("data: [DONE]\n\n");
  return parts.join("");
}

function bigEventsText(events: number, seed = 2): string {
  const random = seeded(seed);
  const parts: string[] = [];
  for (let i = 0; i < events; i++) {
    const target = 4096 + Math.floor(random() * (64 - 4) * 1024);
    let content = "";
    while (content.length < target) {
      content += random() < 0.05 ? " café €5 naïve" : ` ${WORDS[Math.floor(random() * WORDS.length)]}`;
    }
    parts.push(chunkLine("chatcmpl-big", { content }, null));
  }
  return parts.join("");
}

/** Cuts `bytes` into pieces of `minimum`–`maximum` bytes, the way a network delivers them. */
export function cut(bytes: Uint8Array, minimum: number, maximum: number, seed = 3): Uint8Array[] {
  const random = seeded(seed);
  const pieces: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; ) {
    const size = minimum + Math.floor(random() * (maximum - minimum + 1));
    pieces.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return pieces;
}

export interface InputSizes {
  chatChunks: number;
  byteAtATimeChunks: number;
  bigEvents: number;
}

export const FULL_SIZES: InputSizes = { chatChunks: 20_000, byteAtATimeChunks: 2_000, bigEvents: 2_000 };

export function buildInputs(sizes: InputSizes): { a: SseInput; b: SseInput; c: SseInput } {
  const encoder = new TextEncoder();
  const chat = encoder.encode(chatStreamText(sizes.chatChunks));
  // One byte at a time costs every contender a call per byte, so (b) is a shorter stream of the same shape.
  const small = encoder.encode(chatStreamText(sizes.byteAtATimeChunks));
  const big = encoder.encode(bigEventsText(sizes.bigEvents));
  return {
    a: {
      label: `(a) ${sizes.chatChunks.toLocaleString("en-US")}-chunk chat stream, 1–16 KiB pieces`,
      pieces: cut(chat, 1024, 16 * 1024),
      bytes: chat.length,
      events: sizes.chatChunks + 2,
    },
    b: {
      label: `(b) ${sizes.byteAtATimeChunks.toLocaleString("en-US")}-chunk chat stream, one byte at a time`,
      pieces: cut(small, 1, 1),
      bytes: small.length,
      events: sizes.byteAtATimeChunks + 2,
    },
    c: {
      label: `(c) ${sizes.bigEvents.toLocaleString("en-US")} events of 4–64 KiB, 1–16 KiB pieces`,
      pieces: cut(big, 1024, 16 * 1024),
      bytes: big.length,
      events: sizes.bigEvents,
    },
  };
}
