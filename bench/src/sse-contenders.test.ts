import { describe, expect, it } from "vitest";
import { bodyOf } from "./chat-stream.js";
import { parserContenders, streamContenders } from "./sse-contenders.js";
import { buildInputs } from "./sse-inputs.js";

// Small versions of the benchmark's inputs: every contender must read the same events from them,
// or its throughput would not be comparable.
const inputs = buildInputs({ chatChunks: 300, byteAtATimeChunks: 20, bigEvents: 12 });

describe("SSE parsing contenders", () => {
  for (const [key, input] of Object.entries(inputs)) {
    it(`agree on input ${key}, at the parser level and the stream level`, async () => {
      const results = [
        ...Object.entries(parserContenders).map(([name, parse]) => [`parser ${name}`, parse(input.pieces)] as const),
        ...(await Promise.all(
          Object.entries(streamContenders).map(
            async ([name, parse]) => [`stream ${name}`, await parse(bodyOf(input.pieces))] as const,
          ),
        )),
      ];
      const expected = results[0]?.[1];
      expect(expected?.events).toBe(input.events);
      for (const [name, result] of results) expect({ name, ...result }).toEqual({ name, ...expected });
    });
  }

  it("cut input (c) in the middle of multi-byte characters", () => {
    const decoder = new TextDecoder("utf-8", { fatal: true });
    const cutInside = inputs.c.pieces.filter((piece) => {
      try {
        decoder.decode(piece);
        return false;
      } catch {
        return true;
      }
    });
    expect(cutInside.length).toBeGreaterThan(0);
  });
});
