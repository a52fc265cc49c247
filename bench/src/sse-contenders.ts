/**
 * The contenders of the SSE parsing benchmark, at two levels:
 * - parser: bytes in, events out through a callback, fed synchronously piece by piece;
 * - stream: a ReadableStream of the pieces in, events out as an async iteration, which is what an
 *   SDK actually runs on a response body.
 * Each returns the number of events and the total length of their data, so a test can check that
 * all contenders read the same events and no work can be skipped.
 */
import { createSSEParser, iterateServerSentEvents } from "@chatwire/core";
import { createParser } from "eventsource-parser";
import { EventSourceParserStream } from "eventsource-parser/stream";
import { _iterSSEMessages } from "openai/core/streaming";

export interface ParseResult {
  events: number;
  dataLength: number;
}

export type ParserContender = (pieces: readonly Uint8Array[]) => ParseResult;
export type StreamContender = (body: ReadableStream<Uint8Array>) => Promise<ParseResult>;

const LF = 10;
const DATA_PREFIX = "data: ".length;

/**
 * The practical limit: UTF-8 decoding as TextDecoderStream does it, and a split on blank lines
 * with `indexOf`, with no field parsing at all. Every event here is one `data: ` line, so its data
 * length is the block's length less that prefix.
 */
class BlankLineSplitter {
  readonly #decoder = new TextDecoder();
  readonly #fragments: string[] = [];
  #endsWithLF = false;
  readonly result: ParseResult = { events: 0, dataLength: 0 };

  push(piece: Uint8Array): void {
    const text = this.#decoder.decode(piece, { stream: true });
    if (text.length === 0) return;
    let start = 0;
    if (this.#endsWithLF && this.#fragments.length > 0 && text.charCodeAt(0) === LF) {
      this.#emit(this.#take("").length - 1);
      start = 1;
    }
    for (let end = text.indexOf("\n\n", start); end !== -1; end = text.indexOf("\n\n", start)) {
      this.#emit(this.#fragments.length > 0 ? this.#take(text.slice(start, end)).length : end - start);
      start = end + 2;
    }
    if (start < text.length) this.#fragments.push(text.slice(start));
    this.#endsWithLF = text.charCodeAt(text.length - 1) === LF;
  }

  #take(last: string): string {
    this.#fragments.push(last);
    const block = this.#fragments.join("");
    this.#fragments.length = 0;
    return block;
  }

  #emit(blockLength: number): void {
    this.result.events++;
    this.result.dataLength += blockLength - DATA_PREFIX;
  }
}

export const parserContenders: Record<string, ParserContender> = {
  chatwire(pieces) {
    const result: ParseResult = { events: 0, dataLength: 0 };
    const parser = createSSEParser({
      onEvent(event) {
        result.events++;
        result.dataLength += event.data.length;
      },
    });
    for (const piece of pieces) parser.feed(piece);
    parser.end();
    return result;
  },
  // What TextDecoderStream runs on each chunk, without the stream machinery around it.
  "eventsource-parser"(pieces) {
    const result: ParseResult = { events: 0, dataLength: 0 };
    const decoder = new TextDecoder();
    const parser = createParser({
      onEvent(event) {
        result.events++;
        result.dataLength += event.data.length;
      },
    });
    for (const piece of pieces) parser.feed(decoder.decode(piece, { stream: true }));
    parser.feed(decoder.decode());
    return result;
  },
  "floor: decode + indexOf"(pieces) {
    const splitter = new BlankLineSplitter();
    for (const piece of pieces) splitter.push(piece);
    return splitter.result;
  },
};

export const streamContenders: Record<string, StreamContender> = {
  async chatwire(body) {
    const result: ParseResult = { events: 0, dataLength: 0 };
    for await (const event of iterateServerSentEvents(body)) {
      result.events++;
      result.dataLength += event.data.length;
    }
    return result;
  },
  // The Vercel AI SDK's pipeline.
  async "eventsource-parser"(body) {
    const result: ParseResult = { events: 0, dataLength: 0 };
    // TextDecoderStream's writable side is typed for any BufferSource; it is fed Uint8Array only.
    const decoder = new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>;
    const reader = body.pipeThrough(decoder).pipeThrough(new EventSourceParserStream()).getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      result.events++;
      result.dataLength += read.value.data.length;
    }
    return result;
  },
  // The official client's decoding path, up to (not including) its JSON.parse of each event.
  async openai(body) {
    const result: ParseResult = { events: 0, dataLength: 0 };
    for await (const event of _iterSSEMessages(new Response(body), new AbortController())) {
      result.events++;
      result.dataLength += event.data.length;
    }
    return result;
  },
  async "floor: decode + indexOf"(body) {
    const splitter = new BlankLineSplitter();
    const reader = body.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) splitter.push(read.value);
    return splitter.result;
  },
};
