import { afterEach, describe, expect, it, vi } from "vitest";
import { EventTooLargeError, StreamError } from "../errors.js";
import { createSSEParser, DEFAULT_MAX_EVENT_SIZE, type ServerSentEvent, type SSEParserOptions } from "./parser.js";
import { messageEvent } from "./test-helpers.js";

const encoder = new TextEncoder();
const BOM = [0xef, 0xbb, 0xbf];

type Chunk = string | number[] | Uint8Array;
const toBytes = (chunk: Chunk): Uint8Array =>
  typeof chunk === "string" ? encoder.encode(chunk) : chunk instanceof Uint8Array ? chunk : new Uint8Array(chunk);

interface Recorded {
  events: ServerSentEvent[];
  comments: string[];
  retries: number[];
}

function recorder(options: Partial<SSEParserOptions> = {}) {
  const seen: Recorded = { events: [], comments: [], retries: [] };
  const parser = createSSEParser({
    onEvent: (event) => seen.events.push(event),
    onComment: (comment) => seen.comments.push(comment),
    onRetry: (ms) => seen.retries.push(ms),
    ...options,
  });
  return { parser, seen };
}

/** Feeds the chunks in order, ends the stream, and returns what the parser reported. */
function parse(chunks: Chunk | Chunk[], options: Partial<SSEParserOptions> = {}): Recorded {
  const { parser, seen } = recorder(options);
  const list = Array.isArray(chunks) && (chunks.length === 0 || typeof chunks[0] !== "number") ? chunks : [chunks];
  for (const chunk of list as Chunk[]) parser.feed(toBytes(chunk));
  parser.end();
  return seen;
}

/** The same input one byte at a time: every rule must also hold at every possible chunk boundary. */
function parseBytewise(input: Chunk, options: Partial<SSEParserOptions> = {}): Recorded {
  return parse(
    Array.from(toBytes(input), (byte) => [byte]),
    options,
  );
}

const event = messageEvent;
const datas = (seen: Recorded): string[] => seen.events.map((e) => e.data);

/** Asserts the same events whole and byte by byte. */
function expectEvents(input: Chunk, expected: ServerSentEvent[]): void {
  expect(parse(input).events).toEqual(expected);
  expect(parseBytewise(input).events).toEqual(expected);
}

describe("UTF-8 decoding", () => {
  it("decodes multi-byte characters split across chunks", () => {
    const bytes = toBytes("data: é€😀\n\n");
    // Cut inside every character: é is 2 bytes, € 3, 😀 4.
    expect(parseBytewise(bytes).events).toEqual([event("é€😀")]);
    expect(parse([bytes.slice(0, 7), bytes.slice(7, 9), bytes.slice(9, 13), bytes.slice(13)]).events).toEqual([
      event("é€😀"),
    ]);
  });

  it("turns invalid UTF-8 into U+FFFD instead of throwing", () => {
    expect(parse([[...toBytes("data:"), 0xff, 0xfe, 0x0a, 0x0a]]).events).toEqual([event("\uFFFD\uFFFD")]);
    // A truncated sequence followed by ASCII: one U+FFFD for the maximal subpart, then the ASCII.
    expect(parse([[...toBytes("data:"), 0xe2, 0x82], toBytes("x\n\n")]).events).toEqual([event("\uFFFDx")]);
    // An encoded surrogate (ED A0 80) is invalid in UTF-8: three U+FFFD.
    expect(parse([[...toBytes("data:"), 0xed, 0xa0, 0x80, 0x0a, 0x0a]]).events).toEqual([event("\uFFFD\uFFFD\uFFFD")]);
  });

  it("never lets a byte that is part of an invalid sequence hide a line break", () => {
    // 0xE2 promises two continuation bytes; 0x0A is not one, so the LF still ends the line.
    expect(parse([[...toBytes("data:"), 0xe2, 0x0a, 0x0a]]).events).toEqual([event("\uFFFD")]);
  });

  it("decodes as UTF-8 whatever the server claims (wpt format-utf-8)", () => {
    expect(parse([[...toBytes("data:ok"), 0xe2, 0x80, 0xa6, 0x0a, 0x0a]]).events).toEqual([event("ok…")]);
  });
});

describe("byte order mark", () => {
  it("strips exactly one leading BOM", () => {
    expectEvents([...BOM, ...toBytes("data: x\n\n")], [event("x")]);
  });

  it("strips a leading BOM that arrives split across chunks", () => {
    expect(parse([[0xef], [0xbb], [0xbf, ...toBytes("data: x\n\n")]]).events).toEqual([event("x")]);
    // Empty chunks before it do not count as the start of the stream having passed.
    expect(parse([[], [0xef, 0xbb], [], [0xbf, ...toBytes("data: x\n\n")]]).events).toEqual([event("x")]);
  });

  it("keeps a second BOM: it makes the next field name unknown", () => {
    expectEvents([...BOM, ...BOM, ...toBytes("data: 1\n\ndata: 2\n\n")], [event("2")]);
  });

  it("keeps a second BOM inside a value as data", () => {
    expectEvents([...BOM, ...toBytes("data:"), ...BOM, ...toBytes("x\n\n")], [event("\uFEFFx")]);
  });

  it("keeps a BOM that is not at the start of the stream", () => {
    expectEvents([...toBytes("data: a\n\n"), ...BOM, ...toBytes("data: b\n\ndata: c\n\n")], [event("a"), event("c")]);
  });
});

describe("line endings", () => {
  it("ends lines at LF", () => {
    expectEvents("data: a\ndata: b\n\n", [event("a\nb")]);
  });

  it("ends lines at CR", () => {
    expectEvents("data: a\rdata: b\r\r", [event("a\nb")]);
  });

  it("ends lines at CRLF, as one line break", () => {
    expectEvents("data: a\r\ndata: b\r\n\r\n", [event("a\nb")]);
  });

  it("treats LF CR as two line breaks", () => {
    expectEvents("data: a\n\rdata: b\n\n", [event("a"), event("b")]);
  });

  it("mixes CR, LF and CRLF in one stream", () => {
    expectEvents("data: a\rdata: b\ndata: c\r\n\ndata: d\n\r\n", [event("a\nb\nc"), event("d")]);
  });

  it("counts CR at the end of one chunk and LF at the start of the next as ONE line break", () => {
    expect(parse(["data: a\r", "\ndata: b\r", "\n\r", "\n"]).events).toEqual([event("a\nb")]);
  });

  it("keeps waiting for the LF of a split CRLF across empty chunks", () => {
    expect(parse(["data: a\r", [], new Uint8Array(0), "\ndata: b\n\n"]).events).toEqual([event("a\nb")]);
  });

  it("treats CR at the end of a chunk followed by a non-LF as a complete line break", () => {
    expect(parse(["data: a\r", "data: b\r", "\r"]).events).toEqual([event("a\nb")]);
  });

  it("dispatches on a CR-terminated blank line at once, without waiting for the next chunk", () => {
    const { parser, seen } = recorder();
    parser.feed(toBytes("data: a\r\r"));
    expect(seen.events).toEqual([event("a")]);
    parser.feed(toBytes("\ndata: b\n\n"));
    expect(datas(seen)).toEqual(["a", "b"]);
  });

  it("does not treat the LF of a CRLF split after a blank line as another blank line", () => {
    // "data: one\r\r\n": a data line, then a blank line whose CRLF is split: exactly one event.
    expect(parse(["data: one\r", "\r", "\n"]).events).toEqual([event("one")]);
  });
});

describe("comments", () => {
  it("ignores lines starting with a colon and reports them to onComment", () => {
    const seen = parse(": hello\n:world\n:  two spaces\n:\ndata: x\n\n");
    expect(seen.comments).toEqual(["hello", "world", " two spaces", ""]);
    expect(seen.events).toEqual([event("x")]);
  });

  it("does not let a comment dispatch, add data or end a block", () => {
    expectEvents("data: a\n: comment\ndata: b\n\n:only a comment\n\n", [event("a\nb")]);
  });

  it("works without an onComment callback", () => {
    const events: ServerSentEvent[] = [];
    const parser = createSSEParser({ onEvent: (e) => events.push(e) });
    parser.feed(toBytes(": keep-alive\n\ndata: x\n\n"));
    expect(events).toEqual([event("x")]);
  });
});

describe("field parsing", () => {
  it("treats a line without a colon as a field with an empty value", () => {
    expectEvents("data\n\n", [event("")]);
    expectEvents("data\ndata\n\n", [event("\n")]);
    expectEvents("event: x\nevent\ndata: y\n\n", [event("y")]);
    expectEvents("id: 1\nid\ndata: y\n\n", [event("y", { id: "" })]);
  });

  it("strips one space after the colon, and only one", () => {
    expectEvents("data: x\n\n", [event("x")]);
    expectEvents("data:x\n\n", [event("x")]);
    expectEvents("data:  x\n\n", [event(" x")]);
    expectEvents("data: \n\n", [event("")]);
    expectEvents("event:  spaced\ndata: x\n\n", [event("x", { event: " spaced" })]);
    expectEvents("id:  7\ndata: x\n\n", [event("x", { id: " 7" })]);
  });

  it("strips no other whitespace", () => {
    expectEvents("data:\tx \n\n", [event("\tx ")]);
  });

  it("splits at the first colon only", () => {
    expectEvents("data: a:b: c\n\n", [event("a:b: c")]);
  });

  it("compares field names literally: no case folding, no trimming", () => {
    expectEvents("Data: a\n data: b\ndata : c\nDATA\ndata: d\n\n", [event("d")]);
  });

  it("ignores unknown fields", () => {
    expectEvents("foo: bar\ndata: a\nx\n:\nretryx: 5\ndata: b\n\n", [event("a\nb")]);
  });
});

describe("data", () => {
  it("joins multiple data lines with LF", () => {
    expectEvents("data: a\ndata: b\ndata: c\n\n", [event("a\nb\nc")]);
  });

  it("removes only the final LF on dispatch (empty data lines stay)", () => {
    expectEvents("data:\ndata: a\ndata:\n\n", [event("\na\n")]);
    expectEvents("data:\n\n", [event("")]);
  });

  it("keeps U+0000 in data", () => {
    expectEvents("data:\0\n\n", [event("\0")]);
  });
});

describe("event type", () => {
  it("sets the event type", () => {
    expectEvents("event: add\ndata: x\n\n", [event("x", { event: "add" })]);
  });

  it('is "message" when the block had no event field, or an empty one', () => {
    expectEvents("data: x\n\nevent:\ndata: y\n\nevent: \ndata: z\n\n", [event("x"), event("y"), event("z")]);
  });

  it("is reset after every dispatch", () => {
    expectEvents("event: a\ndata: 1\n\ndata: 2\n\n", [event("1", { event: "a" }), event("2")]);
  });

  it("is reset after a blank line that did not dispatch", () => {
    expectEvents("event: a\n\ndata: 1\n\n", [event("1")]);
  });

  it("takes the last event field of the block", () => {
    expectEvents("event: a\nevent: b\ndata: 1\n\n", [event("1", { event: "b" })]);
  });
});

describe("id", () => {
  it("sets the last event ID", () => {
    expectEvents("id: 1\ndata: x\n\n", [event("x", { id: "1" })]);
  });

  it('is "" until an id field sets it', () => {
    expectEvents("data: x\n\n", [event("x", { id: "" })]);
  });

  it("persists across events", () => {
    expectEvents("id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\ndata: d\n\n", [
      event("a", { id: "1" }),
      event("b", { id: "1" }),
      event("c", { id: "2" }),
      event("d", { id: "2" }),
    ]);
  });

  it("persists from a block that dispatched nothing", () => {
    expectEvents("id: 42\n\ndata: x\n\n", [event("x", { id: "42" })]);
  });

  it("is reset by an empty id field", () => {
    expectEvents("id: 1\ndata: a\n\nid\ndata: b\n\nid:\ndata: c\n\n", [
      event("a", { id: "1" }),
      event("b", { id: "" }),
      event("c", { id: "" }),
    ]);
  });

  it("ignores an id containing U+0000 NULL (the previous id stays)", () => {
    expectEvents("id: 123\nid: bad\0id\ndata: hello\n\n", [event("hello", { id: "123" })]);
    expectEvents("id: \0\ndata: x\n\n", [event("x", { id: "" })]);
  });
});

describe("retry", () => {
  it("accepts a value of ASCII digits, in base ten", () => {
    const seen = parse("retry: 3000\ndata: x\n\nretry:02000\ndata: y\n\n");
    expect(seen.retries).toEqual([3000, 2000]);
    expect(seen.events).toEqual([event("x", { retry: 3000 }), event("y", { retry: 2000 })]);
  });

  it("ignores anything that is not all ASCII digits", () => {
    // (One space after the colon is stripped first, so "  1" leaves " 1".)
    for (const value of ["", "  1", "1 ", "1.5", "-1", "+1", "1e3", "0x10", "1000x", "１０", "1_000"]) {
      const seen = parse(`retry:${value}\ndata: x\n\n`);
      expect(seen.retries, `retry:${JSON.stringify(value)}`).toEqual([]);
      expect(seen.events).toEqual([event("x")]);
    }
    expect(parse("retry\ndata: x\n\n").retries).toEqual([]);
  });

  it("reports retry at once, even in a block without data", () => {
    const { parser, seen } = recorder();
    parser.feed(toBytes("retry: 500\n"));
    expect(seen.retries).toEqual([500]);
    parser.feed(toBytes("\n"));
    expect(seen.events).toEqual([]);
  });

  it("carries the block's last valid retry on the event, and none on later blocks", () => {
    const seen = parse("retry: 1\nretry: 2\nretry: x\ndata: a\n\ndata: b\n\nretry: 5\n\ndata: c\n\n");
    expect(seen.retries).toEqual([1, 2, 5]);
    expect(seen.events).toEqual([event("a", { retry: 2 }), event("b"), event("c")]);
  });
});

describe("dispatch", () => {
  it("dispatches on a blank line", () => {
    const { parser, seen } = recorder();
    parser.feed(toBytes("data: x\n"));
    expect(seen.events).toEqual([]);
    parser.feed(toBytes("\n"));
    expect(seen.events).toEqual([event("x")]);
  });

  it("does not dispatch when the data buffer is empty", () => {
    expectEvents("\n\n\nevent: x\n\nid: 1\n\nretry: 5\n\n: c\n\nfoo: bar\n\n", []);
  });

  it("dispatches each block once, in order", () => {
    expectEvents("data: 1\n\ndata: 2\n\n\n\ndata: 3\n\n", [event("1"), event("2"), event("3")]);
  });

  it("leaves the parser consistent when onEvent throws", () => {
    let calls = 0;
    const parser = createSSEParser({
      onEvent: (e) => {
        calls += 1;
        if (e.data === "boom") throw new Error("consumer failed");
      },
    });
    expect(() => parser.feed(toBytes("data: boom\n\n"))).toThrow("consumer failed");
    parser.feed(toBytes("data: next\n\n"));
    expect(calls).toBe(2);
  });
});

describe("end of stream", () => {
  it("discards an unterminated final event", () => {
    expect(parse("data: a\n\ndata: b\n").events).toEqual([event("a")]);
    expect(parse("data: a\n\ndata: b").events).toEqual([event("a")]);
    expect(parse("data: a\n\nevent: x\ndata: b\r").events).toEqual([event("a")]);
  });

  it("discards an unterminated final line without interpreting it", () => {
    expect(parse(["retry: 5\n", "retry: 10"]).retries).toEqual([5]);
    expect(parse(":a\n:b").comments).toEqual(["a"]);
  });

  it("treats a CR at the very end as a complete line break", () => {
    // "data: a\r\r": the second CR is a blank line even though no LF can follow any more.
    expect(parse(["data: a\r", "\r"]).events).toEqual([event("a")]);
  });

  it("flushes an incomplete multi-byte character without throwing", () => {
    expect(parse([[...toBytes("data: a\n\ndata: "), 0xf0, 0x9f]]).events).toEqual([event("a")]);
  });

  it("starts a new stream after end(), carrying over the id as of the last blank line", () => {
    const { parser, seen } = recorder();
    parser.feed(toBytes("id: 1\ndata: a\n\nid: 2\nevent: x\ndata: cut"));
    parser.end();
    parser.feed(new Uint8Array([...BOM, ...toBytes("data: b\n\n")]));
    parser.end();
    expect(seen.events).toEqual([event("a", { id: "1" }), event("b", { id: "1" })]);
  });
});

describe("maxEventSize", () => {
  it("defaults to 16 MiB", () => {
    expect(DEFAULT_MAX_EVENT_SIZE).toBe(16 * 1024 * 1024);
  });

  it("rejects a limit that is not a positive number", () => {
    for (const bad of [0, -1, Number.NaN]) {
      expect(() => createSSEParser({ onEvent: () => {}, maxEventSize: bad })).toThrow(RangeError);
    }
  });

  it("throws EventTooLargeError for a line that never ends, fed in 1 KiB chunks past the limit", () => {
    const limit = 64 * 1024;
    const { parser, seen } = recorder({ maxEventSize: limit });
    parser.feed(toBytes("data: "));
    const kib = toBytes("x".repeat(1024));
    let fed = 6;
    let thrown: unknown;
    for (let i = 0; i < 1000; i++) {
      try {
        parser.feed(kib);
        fed += 1024;
      } catch (error) {
        thrown = error;
        break;
      }
    }
    expect(thrown).toBeInstanceOf(EventTooLargeError);
    expect(thrown).toBeInstanceOf(StreamError);
    // It threw on the first chunk that took the unfinished line past the limit, not later.
    expect(fed).toBeLessThanOrEqual(limit);
    expect(fed + 1024).toBeGreaterThan(limit);
    expect((thrown as Error).message).toContain(`maxEventSize (${limit})`);
    expect(seen.events).toEqual([]);
  });

  it("throws EventTooLargeError for many data lines in one event past the limit", () => {
    const limit = 4096;
    const { parser, seen } = recorder({ maxEventSize: limit });
    const line = toBytes("data: 0123456789abcdef\n");
    let lines = 0;
    expect(() => {
      for (; lines < 10_000; lines++) parser.feed(line);
    }).toThrow(EventTooLargeError);
    // 241 lines hold 241 × 16 characters + 240 joining LFs = 4096, exactly the limit; the 242nd
    // line (index 241) takes the data buffer past it, before any blank line arrives.
    expect(lines).toBe(241);
    expect(seen.events).toEqual([]);
  });

  it("keeps an event of many empty data lines within 3× the limit in memory until it throws", () => {
    // Each empty `data:` line adds one LF to the data buffer: 16 Mi lines reach the default limit.
    const { parser, seen } = recorder();
    const piece = toBytes("data:\n".repeat(64 * 1024));
    const before = process.memoryUsage().heapUsed;
    let peak = 0;
    let thrown: unknown;
    for (let i = 0; i < 1024 && thrown === undefined; i++) {
      try {
        parser.feed(piece);
      } catch (error) {
        thrown = error;
      }
      peak = Math.max(peak, process.memoryUsage().heapUsed - before);
    }
    expect(thrown).toBeInstanceOf(EventTooLargeError);
    expect(seen.events).toEqual([]);
    expect(peak).toBeLessThan(3 * DEFAULT_MAX_EVENT_SIZE);
  });

  it("joins many data lines into one event exactly", () => {
    const lines = Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? "" : `line ${i}`));
    const text = `${lines.map((line) => `data:${line}\n`).join("")}\n`;
    expect(parse(text).events).toEqual([event(lines.join("\n"))]);
    expect(parseBytewise(text.slice(0, 4000)).events).toEqual([]);
  });

  it("throws for a complete line past the limit that arrives in one chunk", () => {
    expect(() => parse(`: ${"x".repeat(100)}\n`, { maxEventSize: 64 })).toThrow(EventTooLargeError);
    expect(() => parse(`data: ${"x".repeat(100)}\n\n`, { maxEventSize: 64 })).toThrow(EventTooLargeError);
  });

  it("accepts a line and an event of exactly the limit", () => {
    const value = "x".repeat(58);
    expect(parse(`data:${value}\n\n`, { maxEventSize: 63 }).events).toEqual([event(value)]);
    expect(parseBytewise(`data:${value}\n\n`, { maxEventSize: 63 }).events).toEqual([event(value)]);
    expect(() => parse(`data:${value}\n\n`, { maxEventSize: 62 })).toThrow(EventTooLargeError);
    // Two lines within the limit each, whose joined data ("a…\na…" = 2 × 30 + 1) is exactly it.
    const half = "a".repeat(30);
    expect(parse(`data:${half}\ndata:${half}\n\n`, { maxEventSize: 61 }).events).toEqual([event(`${half}\n${half}`)]);
    expect(() => parse(`data:${half}\ndata:${half}\n\n`, { maxEventSize: 60 })).toThrow(EventTooLargeError);
  });

  it("does not count dispatched events towards the limit", () => {
    const seen = parse(
      Array.from({ length: 100 }, (_, i) => `data: ${i}\n\n`),
      { maxEventSize: 16 },
    );
    expect(seen.events).toHaveLength(100);
  });

  it("keeps throwing the same error after it tripped", () => {
    const { parser } = recorder({ maxEventSize: 8 });
    let first: unknown;
    try {
      parser.feed(toBytes("data: this is too long"));
    } catch (error) {
      first = error;
    }
    expect(first).toBeInstanceOf(EventTooLargeError);
    expect(() => parser.feed(toBytes("data: ok\n\n"))).toThrow(first as Error);
    expect(() => parser.end()).toThrow(first as Error);
  });
});

describe("linear time on a huge line in small chunks (behaviour, never timed)", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("delivers a 2 MiB line fed in 64-byte chunks exactly", () => {
    // Not all one character, so a lost, repeated or reordered chunk would show.
    let payload = "";
    for (let i = 0; payload.length < 2 * 1024 * 1024; i++) payload += `${i.toString(36)}é€😀,`;
    const bytes = toBytes(`id: big\ndata: ${payload}\n\ndata: after\n\n`);
    const { parser, seen } = recorder();
    for (let offset = 0; offset < bytes.length; offset += 64) parser.feed(bytes.subarray(offset, offset + 64));
    parser.end();
    expect(seen.events).toHaveLength(2);
    expect(seen.events[0]?.data.length).toBe(payload.length);
    expect(seen.events[0]?.data === payload).toBe(true);
    expect(seen.events[1]).toEqual(event("after", { id: "big" }));
  });

  it("joins the fragments of a line once, when the line ends, however many chunks it came in", () => {
    const join = vi.spyOn(Array.prototype, "join");
    const { parser, seen } = recorder();
    parser.feed(toBytes("data: "));
    const piece = toBytes("0123456789abcdef");
    for (let i = 0; i < 20_000; i++) parser.feed(piece);
    const joinsBeforeEnd = join.mock.calls.length;
    parser.feed(toBytes("\n\n"));
    const joins = join.mock.calls.length;
    vi.restoreAllMocks();
    expect(joinsBeforeEnd).toBe(0);
    expect(joins).toBe(1);
    expect(seen.events[0]?.data.length).toBe(20_000 * 16);
  });
});
