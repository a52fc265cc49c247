// @vitest-environment edge-runtime
import { describe, expect, it } from "vitest";
import { createSSEParser, iterateServerSentEvents, type ServerSentEvent, ServerSentEventStream } from "./index.js";

/** The parser and its stream wrappers on web APIs alone (TextDecoder, ReadableStream, TransformStream). */
describe("SSE parsing in a browser-like runtime", () => {
  const bytes = new TextEncoder().encode("\uFEFFid: 1\r\ndata: é€😀\r\n\r\n: ping\n\ndata: cut");
  const expected: ServerSentEvent[] = [{ event: "message", data: "é€😀", id: "1", retry: undefined }];

  it("is not Node", () => {
    expect(typeof (globalThis as { EdgeRuntime?: unknown }).EdgeRuntime).toBe("string");
  });

  it("parses bytes fed one at a time", () => {
    const events: ServerSentEvent[] = [];
    const parser = createSSEParser({ onEvent: (event) => events.push(event) });
    for (const byte of bytes) parser.feed(new Uint8Array([byte]));
    parser.end();
    expect(events).toEqual(expected);
  });

  it("iterates a ReadableStream and pipes through ServerSentEventStream", async () => {
    const body = () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes.slice(0, 9));
          controller.enqueue(bytes.slice(9));
          controller.close();
        },
      });
    const iterated: ServerSentEvent[] = [];
    for await (const event of iterateServerSentEvents(body())) iterated.push(event);
    expect(iterated).toEqual(expected);

    const reader = body().pipeThrough(new ServerSentEventStream()).getReader();
    const piped: ServerSentEvent[] = [];
    for (let next = await reader.read(); !next.done; next = await reader.read()) piped.push(next.value);
    expect(piped).toEqual(expected);
  });
});
