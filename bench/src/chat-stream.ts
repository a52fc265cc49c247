/**
 * The bytes of a streamed chat completion, in the shape the reference server sends for the
 * Gradient (and OpenAI) dialect, cut into network-sized pieces, and a fetch that serves them
 * without a network. Built once per size, so every contender reads exactly the same bytes and none
 * pays for producing them.
 */

const ID = "chatcmpl-3f4fe892f7704dd49590f696";
const CREATED = 1795897559;
export const MODEL = "chatwire-tiny";

/** Words as the reference server's generated model writes them: ASCII only. */
export const ASCII_WORDS = [" the", " sea", " mountain", " river", " any", " numeral", " sing", " light", " over", "."];

// A few non-ASCII words, so pieces cut through multi-byte characters as real text does.
export const MIXED_WORDS = [
  " any",
  " the",
  " river",
  " of",
  " light",
  " runs",
  " café",
  " quietly",
  ",",
  " and",
  " naïve",
  " stones",
  " remember",
  " 42",
  " über",
  ".",
  "\n",
  " a",
  ' "quoted"',
  " weather",
];

const MIN_PIECE_BYTES = 1024;
const MAX_PIECE_BYTES = 16 * 1024;

/** A stream of `chunkCount` JSON chunks: content deltas, the finishing chunk, the usage chunk, then `[DONE]`. */
export interface ChatStreamBytes {
  /** The body cut into network-sized pieces (views into one buffer). */
  pieces: readonly Uint8Array[];
  byteLength: number;
  chunkCount: number;
  /** The content deltas joined, as a reader should reassemble them. */
  content: string;
}

/** The content word of content chunk `index`: deterministic, and not a short cycle. */
function wordAt(words: readonly string[], index: number): string {
  return words[(index * 7 + (index >> 3)) % words.length] as string;
}

function event(json: string): string {
  return `data: ${json}\n\n`;
}

function chunkJSON(delta: string, finishReason: string | null): string {
  const finish = finishReason === null ? "null" : JSON.stringify(finishReason);
  return `{"id":"${ID}","object":"chat.completion.chunk","created":${CREATED},"model":"${MODEL}","choices":[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish}}],"usage":null}`;
}

/** `chunkCount` is every JSON chunk (at least 3): chunkCount - 2 content deltas, the finish chunk and the usage chunk. */
export function buildChatStream(
  chunkCount: number,
  words: readonly string[] = MIXED_WORDS,
  pieceBytes: { min: number; max: number } = { min: MIN_PIECE_BYTES, max: MAX_PIECE_BYTES },
): ChatStreamBytes {
  if (!Number.isInteger(chunkCount) || chunkCount < 3)
    throw new RangeError(`chunkCount must be >= 3, got ${chunkCount}`);
  const contentChunks = chunkCount - 2;
  const events: string[] = [];
  const content: string[] = [];
  for (let index = 0; index < contentChunks; index++) {
    const word = wordAt(words, index);
    content.push(word);
    const role = index === 0 ? `"role":"assistant",` : "";
    events.push(event(chunkJSON(`{${role}"content":${JSON.stringify(word)}}`, null)));
  }
  events.push(event(chunkJSON("{}", "length")));
  const usage = { prompt_tokens: 12, completion_tokens: contentChunks, total_tokens: 12 + contentChunks };
  events.push(
    event(
      `{"id":"${ID}","object":"chat.completion.chunk","created":${CREATED},"model":"${MODEL}","choices":[],"usage":${JSON.stringify(usage)}}`,
    ),
  );
  events.push("data: [DONE]\n\n");
  const bytes = new TextEncoder().encode(events.join(""));
  return {
    pieces: cutIntoPieces(bytes, pieceBytes.min, pieceBytes.max),
    byteLength: bytes.length,
    chunkCount,
    content: content.join(""),
  };
}

/**
 * A fixed-seed xorshift32 generator of unsigned 32-bit integers: every run and every contender sees
 * the same inputs.
 */
export function seededUint32(seed = 0x9e3779b9): () => number {
  let state = seed;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
}

/** Deterministic piece sizes between `min` and `max` bytes, as reads from a socket come. */
export function cutIntoPieces(bytes: Uint8Array, min: number, max: number): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  const next = seededUint32();
  for (let offset = 0; offset < bytes.length; ) {
    const size = min + (next() % (max - min + 1));
    pieces.push(bytes.subarray(offset, Math.min(offset + size, bytes.length)));
    offset += size;
  }
  return pieces;
}

/**
 * A fetch that answers every request with a fresh 200 text/event-stream response over `stream`'s
 * pieces, handed out one per pull as a socket would deliver them.
 */
export function fetchServing(stream: ChatStreamBytes): typeof fetch {
  return async () =>
    new Response(bodyOf(stream.pieces), {
      status: 200,
      headers: { "content-type": "text/event-stream; charset=utf-8" },
    });
}

/** A response body that hands out `pieces` one per read, as a socket would deliver them. */
export function bodyOf(pieces: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const piece = pieces[next];
      next += 1;
      if (piece === undefined) controller.close();
      else controller.enqueue(piece);
    },
  });
}
