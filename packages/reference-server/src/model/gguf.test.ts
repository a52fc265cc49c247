import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { encodeTensorData, GGUF_ALIGNMENT, toHalf, writeGGUF } from "./gguf.js";
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

  it("writes F16 and Q8_0 tensors with ggml's type ids, sizes and offsets", () => {
    const data = Float32Array.from({ length: 64 }, (_, i) => i - 32);
    const bytes = writeGGUF(new Map(), [
      { name: "h", dims: [64], data, type: "f16" },
      { name: "q", dims: [32, 2], data, type: "q8_0" },
    ]);
    const header = view(bytes);
    // Header (24 bytes), general.alignment (8 + 17 + 4 + 4), then each info: name, n_dims, dims, type, offset.
    let at = 24 + 8 + 17 + 4 + 4;
    const info = () => {
      const nameLength = Number(header.getBigUint64(at, true));
      at += 8 + nameLength;
      const dims = header.getUint32(at, true);
      at += 4 + 8 * dims;
      const result = [header.getUint32(at, true), Number(header.getBigUint64(at + 4, true))];
      at += 12;
      return result;
    };
    expect(info()).toEqual([1, 0]);
    // 64 halves are 128 bytes, already aligned.
    expect(info()).toEqual([8, 128]);
    const dataStart = Math.ceil(at / GGUF_ALIGNMENT) * GGUF_ALIGNMENT;
    expect(header.getUint16(dataStart, true)).toBe(toHalf(-32));
    // Two Q8_0 blocks of 34 bytes, padded to the alignment.
    expect(bytes.length).toBe(dataStart + 128 + 96);
  });

  it("refuses a Q8_0 tensor whose rows do not split into blocks of 32", () => {
    expect(() =>
      writeGGUF(new Map(), [{ name: "w", dims: [16, 2], data: new Float32Array(32), type: "q8_0" }]),
    ).toThrow("not a multiple of q8_0's block of 32");
  });

  it("refuses a tensor whose data does not fill its dims", () => {
    expect(() => writeGGUF(new Map(), [{ name: "w", dims: [2, 2], data: new Float32Array(3) }])).toThrow(
      "need 4 values",
    );
  });
});

describe("toHalf", () => {
  it("gives IEEE 754 binary16 bits, rounding to nearest even", () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [0.5, 0x3800],
      [1 / 3, 0x3555],
      [65504, 0x7bff],
      [65520, 0x7c00], // halfway to the next binade rounds up to infinity
      [1e6, 0x7c00],
      [Number.NEGATIVE_INFINITY, 0xfc00],
      [2 ** -14, 0x0400], // the smallest normal
      [2 ** -24, 0x0001], // the smallest subnormal
      [2 ** -25, 0x0000], // halfway to it rounds to even, zero
      [3 * 2 ** -26, 0x0001],
      [1 + 2 ** -11, 0x3c00], // a tie rounds to the even mantissa
      [1 + 3 * 2 ** -11, 0x3c02],
    ];
    for (const [value, bits] of cases) expect(toHalf(value), String(value)).toBe(bits);
    expect(toHalf(Number.NaN) & 0x7c00).toBe(0x7c00);
    expect(toHalf(Number.NaN) & 0x3ff).not.toBe(0);
  });
});

describe("encodeTensorData", () => {
  it("lays out Q8_0 as ggml's block_q8_0: an f16 scale of max |x| / 127, then 32 int8 quants", () => {
    const data = Float32Array.from({ length: 64 }, (_, i) => (i < 32 ? (i - 16) / 4 : 0));
    data[5] = -12.7;
    const bytes = encodeTensorData(data, "q8_0");
    expect(bytes.length).toBe(68);
    const blocks = view(bytes);
    expect(blocks.getUint16(0, true)).toBe(toHalf(0.1));
    const quants = new Int8Array(bytes.buffer, 2, 32);
    expect(quants[5]).toBe(-127);
    expect(quants[16]).toBe(0);
    // 3.75 / 0.1 is 37.5: halves round away from zero, as C's roundf.
    expect(quants[31]).toBe(38);
    expect(quants[0]).toBe(-40);
    // A block of zeros has scale 0 and zero quants.
    expect([...bytes.subarray(34)]).toEqual(new Array(34).fill(0));
  });

  it("writes F16 as one little-endian half per value", () => {
    expect([...encodeTensorData(new Float32Array([1, -2]), "f16")]).toEqual([0x00, 0x3c, 0x00, 0xc0]);
  });
});

describe("buildTinyModel", () => {
  it("writes the default model byte for byte as before (its cache name is chatwire-tiny-40350871eba2)", () => {
    expect(createHash("sha256").update(buildTinyModel()).digest("hex").slice(0, 12)).toBe("40350871eba2");
  });

  it("is deterministic for a seed and differs across seeds", () => {
    expect(buildTinyModel({ seed: 1 })).toEqual(buildTinyModel({ seed: 1 }));
    expect(buildTinyModel({ seed: 1 })).not.toEqual(buildTinyModel({ seed: 2 }));
  });
});
