/**
 * Property-based tests: the parser's output must not depend on how the bytes are cut into chunks,
 * must match a plain, obviously-literal reading of the WHATWG algorithm, and must survive any bytes.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventTooLargeError } from "../errors.js";
import { createSSEParser, type ServerSentEvent } from "./parser.js";

interface Outcome {
  events: ServerSentEvent[];
  comments: string[];
  retries: number[];
  tooLarge: boolean;
}

/** Runs the parser over the chunks; any error other than EventTooLargeError escapes and fails the test. */
function parseChunks(chunks: readonly Uint8Array[], maxEventSize?: number): Outcome {
  const out: Outcome = { events: [], comments: [], retries: [], tooLarge: false };
  const parser = createSSEParser({
    onEvent: (event) => out.events.push(event),
    onComment: (comment) => out.comments.push(comment),
    onRetry: (ms) => out.retries.push(ms),
    ...(maxEventSize === undefined ? {} : { maxEventSize }),
  });
  try {
    for (const chunk of chunks) parser.feed(chunk);
    parser.end();
  } catch (error) {
    if (!(error instanceof EventTooLargeError)) throw error;
    out.tooLarge = true;
  }
  return out;
}

/**
 * The WHATWG algorithm read literally, one character at a time, on the whole decoded text: the
 * oracle the fast parser is compared with. The size limit mirrors the parser's definition: a line
 * (terminated or not) or the event's data (joined, without the final LF) longer than the limit.
 */
function reference(bytes: Uint8Array, maxEventSize = Number.POSITIVE_INFINITY): Outcome {
  const out: Outcome = { events: [], comments: [], retries: [], tooLarge: false };
  // UTF-8 decode, one leading BOM stripped, errors replaced. `stream: true` leaves out an
  // incomplete character at the very end: it can only belong to the discarded last line.
  const text = new TextDecoder("utf-8").decode(bytes, { stream: true });
  let dataBuffer = "";
  let eventType = "";
  let lastEventId = "";
  let retry: number | undefined;

  const processLine = (line: string): boolean => {
    if (line === "") {
      if (dataBuffer === "") {
        eventType = "";
        retry = undefined;
        return true;
      }
      const data = dataBuffer.endsWith("\n") ? dataBuffer.slice(0, -1) : dataBuffer;
      out.events.push({ event: eventType === "" ? "message" : eventType, data, id: lastEventId, retry });
      dataBuffer = "";
      eventType = "";
      retry = undefined;
      return true;
    }
    if (line.startsWith(":")) {
      const comment = line.slice(1);
      out.comments.push(comment.startsWith(" ") ? comment.slice(1) : comment);
      return true;
    }
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") {
      dataBuffer += `${value}\n`;
      if (dataBuffer.length - 1 > maxEventSize) return false;
    } else if (field === "event") {
      eventType = value;
    } else if (field === "id") {
      if (!value.includes("\0")) lastEventId = value;
    } else if (field === "retry") {
      if (/^[0-9]+$/.test(value)) {
        retry = Number.parseInt(value, 10);
        out.retries.push(retry);
      }
    }
    return true;
  };

  let position = 0;
  for (;;) {
    let end = position;
    while (end < text.length && text[end] !== "\r" && text[end] !== "\n") end++;
    const line = text.slice(position, end);
    if (line.length > maxEventSize) {
      out.tooLarge = true;
      break;
    }
    // End of the stream before the end of the line: the line is discarded.
    if (end === text.length) break;
    if (!processLine(line)) {
      out.tooLarge = true;
      break;
    }
    position = text[end] === "\r" && text[end + 1] === "\n" ? end + 2 : end + 1;
  }
  return out;
}

/** Cuts `bytes` into chunks of the given sizes, cycling through them; 0 makes an empty chunk. */
function rechunk(bytes: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const cycle = sizes.some((size) => size > 0) ? sizes : [1];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (let i = 0; offset < bytes.length; i++) {
    const size = cycle[i % cycle.length] ?? 1;
    chunks.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return chunks;
}

const bytewise = (bytes: Uint8Array): Uint8Array[] => Array.from(bytes, (byte) => new Uint8Array([byte]));

// --- Generated event streams -------------------------------------------------------------------

const encoder = new TextEncoder();
const terminator = fc.constantFrom("\n", "\r", "\r\n");
// Multi-byte characters (2, 3 and 4 UTF-8 bytes), BOMs, NUL, colons and spaces inside values.
const valueChar = fc.constantFrom("a", "z", "0", "7", " ", ":", "\t", "é", "€", "😀", "\0", "\uFEFF");
const value = fc.array(valueChar, { maxLength: 8 }).map((chars) => chars.join(""));
const digits = fc.array(fc.constantFrom("0", "1", "5", "9"), { minLength: 1, maxLength: 6 }).map((d) => d.join(""));
const fieldName = fc.constantFrom("data", "data", "data", "event", "id", "retry", "foo", "Data", " data", "é€😀");
const separator = fc.constantFrom(":", ": ", ":  ");
const line = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fieldName, separator, value).map(([f, s, v]) => f + s + v) },
  { weight: 2, arbitrary: fc.tuple(separator, digits).map(([s, d]) => `retry${s}${d}`) },
  // A field without a colon: a field name with an empty value.
  { weight: 2, arbitrary: fieldName },
  { weight: 2, arbitrary: value.map((v) => `:${v}`) },
  { weight: 4, arbitrary: fc.constant("") },
);
const eventStream = fc
  .tuple(
    fc.constantFrom("", "\uFEFF", "\uFEFF\uFEFF"),
    fc.array(fc.tuple(line, terminator), { maxLength: 40 }),
    // Sometimes an unterminated last line, which the end of the stream must discard.
    fc.option(line, { nil: "" }),
  )
  .map(([bom, lines, tail]) => encoder.encode(bom + lines.map(([l, t]) => l + t).join("") + tail));
const chunkSizes = fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 10 });

describe("re-chunking (property)", () => {
  it("gives the same events, comments and retries however a generated stream is cut", () => {
    fc.assert(
      fc.property(eventStream, chunkSizes, (bytes, sizes) => {
        const whole = parseChunks([bytes]);
        expect(parseChunks(rechunk(bytes, sizes))).toEqual(whole);
      }),
      { numRuns: 1000 },
    );
  });

  it("gives the same result one byte at a time as whole", () => {
    fc.assert(
      fc.property(eventStream, (bytes) => {
        expect(parseChunks(bytewise(bytes))).toEqual(parseChunks([bytes]));
      }),
      { numRuns: 500 },
    );
  });

  it("matches a literal reading of the WHATWG algorithm", () => {
    fc.assert(
      fc.property(eventStream, chunkSizes, (bytes, sizes) => {
        const expected = reference(bytes);
        expect(parseChunks([bytes])).toEqual(expected);
        expect(parseChunks(rechunk(bytes, sizes))).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it("agrees with the reference on the size limit too, at every chunking", () => {
    fc.assert(
      fc.property(eventStream, chunkSizes, fc.integer({ min: 1, max: 24 }), (bytes, sizes, limit) => {
        const expected = reference(bytes, limit);
        expect(parseChunks([bytes], limit)).toEqual(expected);
        expect(parseChunks(rechunk(bytes, sizes), limit)).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("fuzz: random bytes", () => {
  it("never throws anything but EventTooLargeError, and still matches the reference", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), chunkSizes, (bytes, sizes) => {
        // parseChunks rethrows anything that is not EventTooLargeError.
        const result = parseChunks(rechunk(bytes, sizes), 32);
        expect(result).toEqual(reference(bytes, 32));
      }),
      { numRuns: 3000 },
    );
  });

  it("survives bytes weighted towards SSE syntax, broken UTF-8 and BOM fragments", () => {
    const interesting = [
      ...encoder.encode("data:event:id:retry: \n\r\n"),
      0x00,
      0xef,
      0xbb,
      0xbf,
      0xc3,
      0xa9,
      0xe2,
      0x82,
      0xac,
      0xf0,
      0x9f,
      0x98,
      0x80,
      0x80,
      0xbf,
      0xc0,
      0xed,
      0xa0,
      0xff,
    ];
    const byte = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...interesting) },
      { weight: 1, arbitrary: fc.nat(255) },
    );
    fc.assert(
      fc.property(
        fc.array(byte, { maxLength: 400 }),
        chunkSizes,
        fc.integer({ min: 1, max: 64 }),
        (list, sizes, limit) => {
          const bytes = new Uint8Array(list);
          const expected = reference(bytes, limit);
          expect(parseChunks(rechunk(bytes, sizes), limit)).toEqual(expected);
          expect(parseChunks(bytewise(bytes), limit)).toEqual(expected);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
