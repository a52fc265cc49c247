import { describe, expect, it } from "vitest";
import { ChatwireError, StreamError } from "../errors.js";
import type { ChatCompletionChunk } from "../generated/types.js";
import { Stream } from "./stream.js";

const chunk = (content: string, finish: "stop" | null = null): ChatCompletionChunk => ({
  id: "c1",
  object: "chat.completion.chunk",
  created: 1,
  model: "m",
  choices: [{ index: 0, delta: { content }, finish_reason: finish }],
});

function streamOf<T>(items: T[], failAfter?: unknown): Stream<T> {
  async function* source(): AsyncGenerator<T> {
    yield* items;
    if (failAfter !== undefined) throw failAfter;
  }
  return new Stream(source, new AbortController());
}

const chunkStream = (items: ChatCompletionChunk[]) =>
  new Stream(
    async function* () {
      yield* items;
    },
    new AbortController(),
    { toChunk: (item: ChatCompletionChunk) => item },
  );

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

describe("Stream", () => {
  it("round-trips through toReadableStream and fromReadableStream", async () => {
    const items = [chunk("a"), chunk("é😀"), chunk("", "stop")];
    const bytes = streamOf(items).toReadableStream();
    expect(await collect(Stream.fromReadableStream<ChatCompletionChunk>(bytes))).toEqual(items);
  });

  it("reads newline-delimited JSON cut at any byte", async () => {
    const text = `${JSON.stringify({ a: "é" })}\n${JSON.stringify({ b: 2 })}\n`;
    const bytes = new TextEncoder().encode(text);
    const readable = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const byte of bytes) controller.enqueue(Uint8Array.of(byte));
        controller.close();
      },
    });
    expect(await collect(Stream.fromReadableStream(readable))).toEqual([{ a: "é" }, { b: 2 }]);
  });

  it("names the line that is not JSON", async () => {
    const readable = new Response('{"a":1}\nnot json\n').body as ReadableStream<Uint8Array>;
    await expect(collect(Stream.fromReadableStream(readable))).rejects.toThrow(
      /Line 2 of the newline-delimited JSON stream is not JSON/,
    );
  });

  it("gives the error of the source to both sides of a tee", async () => {
    const failure = new ChatwireError("boom");
    const [left, right] = streamOf([1, 2], failure).tee();
    await expect(collect(left)).rejects.toBe(failure);
    await expect(collect(right)).rejects.toBe(failure);
  });

  it("returns the final completion after the caller's own loop", async () => {
    const stream = chunkStream([chunk("Hel"), chunk("lo", "stop")]);
    expect(await collect(stream)).toHaveLength(2);
    const final = await stream.finalCompletion();
    expect(final.choices[0]).toMatchObject({ message: { role: "assistant", content: "Hello" }, finish_reason: "stop" });
  });

  it("reads the stream itself when nobody has, and reports a source error there", async () => {
    await expect(chunkStream([chunk("x", "stop")]).finalCompletion()).resolves.toMatchObject({
      object: "chat.completion",
    });
    const failing = new Stream(
      async function* () {
        yield chunk("x");
        throw new ChatwireError("cut");
      },
      new AbortController(),
      { toChunk: (item: ChatCompletionChunk) => item },
    );
    await expect(failing.finalCompletion()).rejects.toThrow("cut");
  });

  it("refuses finalCompletion on a stream of other items", async () => {
    await expect(streamOf([1]).finalCompletion()).rejects.toThrow(/needs a stream of chat-completion chunks/);
  });

  it("aborts its controller when the reader stops early", async () => {
    const stream = streamOf([1, 2, 3]);
    for await (const _ of stream) break;
    expect(stream.controller.signal.aborted).toBe(true);
  });

  it("gives the final completion of a stream read back from toReadableStream", async () => {
    const bytes = chunkStream([chunk("Hel"), chunk("lo", "stop")]).toReadableStream();
    const completion = await Stream.fromReadableStream(bytes).finalCompletion();
    expect(completion.choices[0]?.message.content).toBe("Hello");
    expect(completion.choices[0]?.finish_reason).toBe("stop");
  });

  it("gives the final completion of Prediction Guard's { data: chunk } items read back", async () => {
    const items = [{ data: chunk("Hel") }, { data: chunk("lo", "stop") }];
    const bytes = new Stream(
      async function* () {
        yield* items;
      },
      new AbortController(),
      { toChunk: (item: { data: ChatCompletionChunk }) => item.data },
    ).toReadableStream();
    const completion = await Stream.fromReadableStream(bytes).finalCompletion();
    expect(completion.choices[0]?.message.content).toBe("Hello");
  });

  it("yields every item of chunks that cannot be added up; only finalCompletion fails", async () => {
    const wrong = { id: "c1", object: "chat.completion.chunk", created: 1, model: "m", choices: "none" };
    const items = [chunk("a"), wrong as unknown as ChatCompletionChunk, chunk("b", "stop")];
    const stream = chunkStream(items);
    expect(await collect(stream)).toHaveLength(3);
    const error = await stream.finalCompletion().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamError);
    expect((error as StreamError).kind).toBe("unassemblable");
    expect((error as Error).message).toMatch(/Chunk 2 of the stream has a non-array \(string\) `choices`/);
  });
});
