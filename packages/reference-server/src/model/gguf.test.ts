import { describe, expect, it } from "vitest";
import { GGUF_ALIGNMENT, writeGGUF } from "./gguf.js";
import { buildTinyModel } from "./tiny-model.js";

const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

describe("writeGGUF", () => {
  it("writes the v3 header, the metadata count including general.alignment, and aligned tensor data", () => {
    const data = new Float32Array([1, 2, 3]);
    const bytes = writeGGUF(new Map([["general.name", { type: "string", value: "t" }]]), [
      { name: "a", dims: [3], data },
      { name: "b", dims: [3], data },
    ]);
    const header = view(bytes);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe("GGUF");
    expect(header.getUint32(4, true)).toBe(3);
    expect(header.getBigUint64(8, true)).toBe(2n);
    expect(header.getBigUint64(16, true)).toBe(2n);
    // The second tensor starts one alignment unit after the first, whose 12 bytes are padded.
    const tail = bytes.subarray(bytes.length - 2 * GGUF_ALIGNMENT);
    expect(new Float32Array(tail.slice(0, 12).buffer)).toEqual(data);
    expect(new Float32Array(tail.slice(GGUF_ALIGNMENT, GGUF_ALIGNMENT + 12).buffer)).toEqual(data);
    expect(bytes.length % GGUF_ALIGNMENT).toBe(0);
  });

  it("refuses a tensor whose data does not fill its dims", () => {
    expect(() => writeGGUF(new Map(), [{ name: "w", dims: [2, 2], data: new Float32Array(3) }])).toThrow(
      "need 4 values",
    );
  });
});

describe("buildTinyModel", () => {
  it("is deterministic for a seed and differs across seeds", () => {
    expect(buildTinyModel({ seed: 1 })).toEqual(buildTinyModel({ seed: 1 }));
    expect(buildTinyModel({ seed: 1 })).not.toEqual(buildTinyModel({ seed: 2 }));
  });
});
