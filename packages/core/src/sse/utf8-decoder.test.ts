import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Utf8StreamDecoder } from "./utf8-decoder.js";

// Bytes weighted towards the edges of UTF-8: lead bytes of every length, continuation bytes, the
// second-byte limits of E0/ED/F0/F4, invalid leads and a BOM.
const byte = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(0x41, 0x0a, 0x00, 0x7f) },
  { weight: 3, arbitrary: fc.integer({ min: 0x80, max: 0xbf }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xef, 0xf0, 0xf1, 0xf4, 0xf5, 0xff),
  },
  { weight: 1, arbitrary: fc.constantFrom(0x9f, 0xa0, 0x8f, 0x90, 0xbb, 0xbf) },
  { weight: 1, arbitrary: fc.nat(255) },
);
const bytes = fc.array(byte, { maxLength: 64 }).map((array) => Uint8Array.from(array));
const cuts = fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 12 });

function chunked(input: Uint8Array, sizes: number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let offset = 0, i = 0; offset < input.length; i++) {
    const size = sizes[i % sizes.length] as number;
    chunks.push(input.subarray(offset, offset + size));
    offset += size;
  }
  return chunks;
}

describe("Utf8StreamDecoder", () => {
  it("gives what a streaming TextDecoder gives, chunk for chunk, however the bytes are cut", () => {
    fc.assert(
      fc.property(bytes, cuts, (input, sizes) => {
        const reference = new TextDecoder("utf-8");
        const decoder = new Utf8StreamDecoder();
        for (const chunk of chunked(input, sizes)) {
          expect(decoder.decode(chunk)).toBe(reference.decode(chunk, { stream: true }));
        }
        expect(decoder.end()).toBe(reference.decode());
      }),
      { numRuns: 5000 },
    );
  });

  it("strips one BOM at the start of each stream, even one cut into single bytes", () => {
    const decoder = new Utf8StreamDecoder();
    const text = [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x61].map((b) => decoder.decode(Uint8Array.of(b))).join("");
    expect(text).toBe("\uFEFFa");
    decoder.end();
    expect(decoder.decode(Uint8Array.of(0xef, 0xbb, 0xbf, 0x62))).toBe("b");
  });

  it("holds a cut character back and turns it into U+FFFD only when the stream ends", () => {
    const decoder = new Utf8StreamDecoder();
    expect(decoder.decode(Uint8Array.of(0x61, 0xf0, 0x9f))).toBe("a");
    expect(decoder.decode(Uint8Array.of(0x98))).toBe("");
    expect(decoder.decode(Uint8Array.of(0x80, 0x62))).toBe("😀b");
    expect(decoder.decode(Uint8Array.of(0xe2, 0x82))).toBe("");
    expect(decoder.end()).toBe("\uFFFD");
  });

  it("switches between one-shot and streaming decoding without losing a character", () => {
    const encoder = new TextEncoder();
    const text = "plain ascii, then é€😀 cut anywhere, then ascii again for a while, and 😀 once more";
    const bytes = encoder.encode(text.repeat(3));
    for (let size = 1; size <= 9; size++) {
      const decoder = new Utf8StreamDecoder();
      let decoded = "";
      for (let offset = 0; offset < bytes.length; offset += size)
        decoded += decoder.decode(bytes.subarray(offset, offset + size));
      expect(decoded + decoder.end()).toBe(text.repeat(3));
    }
  });
});
