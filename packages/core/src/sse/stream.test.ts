import { describe, expect, it, vi } from "vitest";
import { EventTooLargeError } from "../errors.js";
import type { ServerSentEvent } from "./parser.js";
import { iterateServerSentEvents, ServerSentEventStream } from "./stream.js";
import { messageEvent } from "./test-helpers.js";

const encoder = new TextEncoder();

const ev = messageEvent;

/** A byte stream of the given chunks, recording whether (and why) it was cancelled. */
function source(chunks: string[], options: { thenError?: unknown; keepOpen?: boolean } = {}) {
  const cancel = vi.fn<(reason: unknown) => void>();
  let pulls = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[pulls++];
      if (chunk !== undefined) {
        controller.enqueue(encoder.encode(chunk));
      } else if (options.thenError !== undefined) {
        controller.error(options.thenError);
      } else if (!options.keepOpen) {
        controller.close();
      }
      // keepOpen: leave the stream open, as a server that is still streaming would.
    },
    cancel,
  });
  return { stream, cancel, pulls: () => pulls };
}

async function collect(
  events: AsyncIterable<ServerSentEvent> | ReadableStream<ServerSentEvent>,
): Promise<ServerSentEvent[]> {
  const out: ServerSentEvent[] = [];
  if (events instanceof ReadableStream) {
    // The DOM typings in use do not declare ReadableStream async-iterable: read it by hand.
    const reader = events.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return out;
      out.push(value);
    }
  }
  for await (const event of events) out.push(event);
  return out;
}

describe("iterateServerSentEvents", () => {
  it("yields the events of a byte stream, across chunk boundaries", async () => {
    const { stream } = source(["event: a\nid: 1\nda", "ta: x\n", "\ndata: é", "\n\ndata: cut off"]);
    expect(await collect(iterateServerSentEvents(stream))).toEqual([
      ev("x", { event: "a", id: "1" }),
      ev("é", { id: "1" }),
    ]);
  });

  it("yields every event of a chunk that holds many", async () => {
    const { stream } = source([Array.from({ length: 50 }, (_, i) => `data: ${i}\n\n`).join("")]);
    expect((await collect(iterateServerSentEvents(stream))).map((e) => e.data)).toEqual(
      Array.from({ length: 50 }, (_, i) => `${i}`),
    );
  });

  it("reads a fetch Response body", async () => {
    const response = new Response("retry: 10\ndata: hello\n\n");
    if (response.body === null) throw new Error("no body");
    expect(await collect(iterateServerSentEvents(response.body))).toEqual([ev("hello", { retry: 10 })]);
  });

  it("cancels the underlying stream when the consumer breaks early", async () => {
    const { stream, cancel } = source(["data: 1\n\ndata: 2\n\n", "data: 3\n\n"], { keepOpen: true });
    const seen: string[] = [];
    for await (const event of iterateServerSentEvents(stream)) {
      seen.push(event.data);
      break;
    }
    expect(seen).toEqual(["1"]);
    expect(cancel).toHaveBeenCalledTimes(1);
    // The lock is released, so the body is not left stuck.
    expect(stream.locked).toBe(false);
  });

  it("cancels at once on return() while a read is pending on a silent server", async () => {
    const { stream, cancel } = source(["data: 1\n\n"], { keepOpen: true });
    const events = iterateServerSentEvents(stream);
    expect(await events.next()).toEqual({ done: false, value: ev("1") });
    // The server says nothing more: this next() waits on the body.
    const pending = events.next();
    await new Promise((resolve) => setTimeout(resolve, 5));
    // An async generator would queue return() behind the pending next(), forever.
    await expect(events.return()).resolves.toEqual({ done: true, value: undefined });
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
    expect(cancel).toHaveBeenCalledTimes(1);
    expect(stream.locked).toBe(false);
    // Finished for good.
    await expect(events.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it("leaves the body untouched when return() comes before the first next()", async () => {
    const { stream, cancel } = source(["data: 1\n\n"]);
    const events = iterateServerSentEvents(stream);
    await events.return();
    expect(cancel).not.toHaveBeenCalled();
    expect(stream.locked).toBe(false);
    await expect(events.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it("cancels on throw() and rejects with the error given", async () => {
    const { stream, cancel } = source(["data: 1\n\n"], { keepOpen: true });
    const events = iterateServerSentEvents(stream);
    await events.next();
    const stopped = new Error("stop");
    await expect(events.throw(stopped)).rejects.toBe(stopped);
    expect(cancel).toHaveBeenCalledTimes(1);
  });

  it("serves concurrent next() calls in order", async () => {
    const { stream } = source(["data: 1\n\n", "data: 2\n\ndata: 3\n\n"]);
    const events = iterateServerSentEvents(stream);
    const results = await Promise.all([events.next(), events.next(), events.next(), events.next()]);
    expect(results.map((r) => (r.done ? "done" : r.value.data))).toEqual(["1", "2", "3", "done"]);
  });

  it("keeps the order when next() calls mix events already parsed with ones still to read", async () => {
    const { stream } = source(["data: 1\n\ndata: 2\n\n", "data: 3\n\ndata: 4\n\n"]);
    const events = iterateServerSentEvents(stream);
    expect((await events.next()).value?.data).toBe("1");
    // "2" is parsed already; "3" needs a read, and "4" must wait behind it although it arrives with it.
    const results = await Promise.all([events.next(), events.next(), events.next(), events.next()]);
    expect(results.map((r) => (r.done ? "done" : r.value.data))).toEqual(["2", "3", "4", "done"]);
  });

  it("serves a next() called while an earlier one waits after the one before it", async () => {
    const { stream } = source(["data: 1\n\ndata: 2\n\n"]);
    const events = iterateServerSentEvents(stream);
    const first = events.next();
    const second = events.next();
    const firstResult = await first;
    // "2" is parsed by now, but belongs to the second call, which has not run yet.
    const third = events.next();
    const results = [firstResult, await second, await third];
    expect(results.map((r) => (r.done ? "done" : r.value.data))).toEqual(["1", "2", "done"]);
  });

  it("rejects, without touching it, a body that is already locked", async () => {
    const { stream } = source(["data: 1\n\n"]);
    const lock = stream.getReader();
    await expect(iterateServerSentEvents(stream).next()).rejects.toBeInstanceOf(TypeError);
    lock.releaseLock();
  });

  it("cancels the underlying stream when the loop body throws", async () => {
    const { stream, cancel } = source(["data: 1\n\n"], { keepOpen: true });
    await expect(
      (async () => {
        for await (const _event of iterateServerSentEvents(stream)) throw new Error("consumer failed");
      })(),
    ).rejects.toThrow("consumer failed");
    expect(cancel).toHaveBeenCalledTimes(1);
  });

  it("propagates an error from the source, after the events before it", async () => {
    const boom = new Error("connection reset");
    const { stream } = source(["data: 1\n\n", "data: 2\n"], { thenError: boom });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const event of iterateServerSentEvents(stream)) seen.push(event.data);
      })(),
    ).rejects.toBe(boom);
    expect(seen).toEqual(["1"]);
  });

  it("propagates an error thrown by the source's pull()", async () => {
    const boom = new TypeError("terminated");
    const stream = new ReadableStream<Uint8Array>({
      pull() {
        throw boom;
      },
    });
    await expect(collect(iterateServerSentEvents(stream))).rejects.toBe(boom);
  });

  it("throws EventTooLargeError past maxEventSize and cancels the source", async () => {
    const { stream, cancel } = source(["data: ", "x".repeat(100)], { keepOpen: true });
    await expect(collect(iterateServerSentEvents(stream, { maxEventSize: 64 }))).rejects.toBeInstanceOf(
      EventTooLargeError,
    );
    expect(cancel).toHaveBeenCalledTimes(1);
    expect(cancel.mock.calls[0]?.[0]).toBeUndefined();
  });

  it("does not cancel a stream that ended by itself", async () => {
    const { stream, cancel } = source(["data: 1\n\n"]);
    await collect(iterateServerSentEvents(stream));
    expect(cancel).not.toHaveBeenCalled();
    expect(stream.locked).toBe(false);
  });

  it("reads lazily: no more of the body than the consumer asked for", async () => {
    const { stream, pulls } = source(["data: 1\n\n", "data: 2\n\n", "data: 3\n\n"], { keepOpen: true });
    const events = iterateServerSentEvents(stream);
    await events.next();
    // The first read, plus at most the stream's own one-chunk read-ahead.
    expect(pulls()).toBeLessThanOrEqual(2);
    await events.return();
  });
});

describe("ServerSentEventStream", () => {
  it("parses via pipeThrough (eventsource-parser test/stream.test.ts)", async () => {
    let fixture = "";
    for (let i = 0; i < 10; i++) fixture += `event: foo\nid: evt-${i}\ndata: Hello ${i}\n\n`;
    const response = new Response(fixture);
    if (response.body === null) throw new Error("no body");
    const events = await collect(response.body.pipeThrough(new ServerSentEventStream()));
    expect(events).toHaveLength(10);
    expect(events[0]).toEqual(ev("Hello 0", { event: "foo", id: "evt-0" }));
    expect(events[9]).toEqual(ev("Hello 9", { event: "foo", id: "evt-9" }));
  });

  it("handles chunks cut anywhere and discards an unterminated final event on close", async () => {
    const { stream } = source(["data: a\r", "\ndata: b\r", "\r", "data: never dispatched"]);
    expect(await collect(stream.pipeThrough(new ServerSentEventStream()))).toEqual([ev("a\nb")]);
  });

  it("errors the readable side with EventTooLargeError and cancels the piped source", async () => {
    const { stream, cancel } = source(["data: ", "x".repeat(100)], { keepOpen: true });
    const events = stream.pipeThrough(new ServerSentEventStream({ maxEventSize: 64 }));
    await expect(collect(events)).rejects.toBeInstanceOf(EventTooLargeError);
    await vi.waitFor(() => expect(cancel).toHaveBeenCalledTimes(1));
  });

  it("passes a source error through", async () => {
    const boom = new Error("connection reset");
    const { stream } = source(["data: 1\n\n"], { thenError: boom });
    const reader = stream.pipeThrough(new ServerSentEventStream()).getReader();
    expect(await reader.read()).toEqual({ done: false, value: ev("1") });
    await expect(reader.read()).rejects.toBe(boom);
  });

  it("is a TransformStream", () => {
    const transform = new ServerSentEventStream();
    expect(transform).toBeInstanceOf(TransformStream);
    expect(transform.readable).toBeInstanceOf(ReadableStream);
    expect(transform.writable).toBeInstanceOf(WritableStream);
  });
});
