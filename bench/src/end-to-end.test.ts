import { describe, expect, it } from "vitest";
import { buildChatStream, fetchServing } from "./chat-stream.js";
import { CONTENDERS, streamReaders } from "./e2e-contenders.js";

// Correctness only: the timing suite is worth nothing if a contender reads something else.
describe("end-to-end contenders", () => {
  const stream = buildChatStream(1_000);

  it("builds the stream the reference server sends: role first, finish, usage, [DONE]", async () => {
    const response = await fetchServing(stream)("http://bench.invalid/v1/chat/completions");
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const text = await response.text();
    const events = text.split("\n\n").filter((event) => event !== "");
    expect(events).toHaveLength(stream.chunkCount + 1);
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event.slice("data: ".length)));
    expect(chunks[0].choices[0].delta).toEqual({ role: "assistant", content: " any" });
    expect(chunks.at(-2).choices[0]).toEqual({ index: 0, delta: {}, logprobs: null, finish_reason: "length" });
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { completion_tokens: stream.chunkCount - 2 } });
    expect(events.at(-1)).toBe("data: [DONE]");
  });

  it("serves the body in pieces of 1 to 16 KiB", () => {
    const sizes = stream.pieces.map((piece) => piece.length);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(stream.byteLength);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(16 * 1024);
    expect(Math.min(...sizes.slice(0, -1))).toBeGreaterThanOrEqual(1024);
  });

  for (const name of CONTENDERS) {
    it(`${name} reads every chunk and the whole content`, async () => {
      const readers = streamReaders(fetchServing(stream));
      let chunks = 0;
      const content: string[] = [];
      await readers[name]((delta) => {
        chunks += 1;
        if (delta) content.push(delta);
      });
      expect(chunks).toBe(stream.chunkCount);
      expect(content.join("")).toBe(stream.content);
    });
  }

  it("each read gets a fresh response, so a reader can run again", async () => {
    const readers = streamReaders(fetchServing(stream));
    for (let run = 0; run < 2; run++) {
      let chunks = 0;
      await readers["chatwire strict"](() => {
        chunks += 1;
      });
      expect(chunks).toBe(stream.chunkCount);
    }
  });
});
