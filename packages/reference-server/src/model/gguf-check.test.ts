import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readGgufFileInfo } from "node-llama-cpp";
import { afterAll, describe, expect, it } from "vitest";
import { ensureDefaultModel } from "./default-model.js";
import { checkGGUFFile } from "./gguf-check.js";
import { BENCH_MODEL_OPTIONS, buildTinyModel } from "./tiny-model.js";

const directory = mkdtempSync(join(tmpdir(), "chatwire-gguf-check-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
const model = ensureDefaultModel(directory).path;

let files = 0;
function file(bytes: Uint8Array): string {
  const path = join(directory, `case-${files++}.gguf`);
  writeFileSync(path, bytes);
  return path;
}

// Little-endian pieces of a GGUF file, for files the package's writer cannot produce.
const u32 = (value: number) => Buffer.from(new Uint32Array([value]).buffer);
const u64 = (value: bigint | number) => {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt(value));
  return bytes;
};
const str = (text: string) => Buffer.concat([u64(Buffer.byteLength(text)), Buffer.from(text)]);
const header = (tensors: bigint | number, kvs: bigint | number, version = 3) =>
  Buffer.concat([Buffer.from("GGUF"), u32(version), u64(tensors), u64(kvs)]);
const kv = (key: string, type: number, value: Buffer) => Buffer.concat([str(key), u32(type), value]);
const tensorInfo = (name: string, dims: number[], type: number, offset: number) =>
  Buffer.concat([str(name), u32(dims.length), ...dims.map(u64), u32(type), u64(offset)]);
const pad = (bytes: Buffer, alignment = 32) =>
  Buffer.concat([bytes, Buffer.alloc((alignment - (bytes.length % alignment)) % alignment)]);

/** A file with every value type, nested and string arrays, and quantized tensors, as real models have. */
function richModel(version = 3): Buffer {
  const kvs = [
    kv("general.architecture", 8, str("llama")),
    kv("general.alignment", 4, u32(64)),
    kv("t.u8", 0, Buffer.from([7])),
    kv("t.i8", 1, Buffer.from([0xff])),
    kv("t.u16", 2, Buffer.from([1, 0])),
    kv("t.i16", 3, Buffer.from([1, 0])),
    kv("t.i32", 5, u32(3)),
    kv("t.f32", 6, Buffer.from(new Float32Array([0.5]).buffer)),
    kv("t.bool", 7, Buffer.from([1])),
    kv("t.u64", 10, u64(9)),
    kv("t.i64", 11, u64(9)),
    kv("t.f64", 12, Buffer.from(new Float64Array([0.25]).buffer)),
    kv("tokenizer.ggml.tokens", 9, Buffer.concat([u32(8), u64(3), str("a"), str("bc"), str("")])),
    kv("t.scores", 9, Buffer.concat([u32(6), u64(3), Buffer.from(new Float32Array([1, 2, 3]).buffer)])),
    kv("t.nested", 9, Buffer.concat([u32(9), u64(2), u32(5), u64(1), u32(1), u32(8), u64(1), str("x")])),
  ];
  // Q4_K: 256 values in a 144-byte block; F16: 2 bytes a value.
  const infos = [tensorInfo("q", [256, 2], 12, 0), tensorInfo("h", [3], 1, 320)];
  const head = pad(Buffer.concat([header(infos.length, kvs.length, version), ...kvs, ...infos]), 64);
  return Buffer.concat([head, Buffer.alloc(320 + 6)]);
}

describe("checkGGUFFile", () => {
  it("accepts the generated default model", () => {
    expect(() => checkGGUFFile(model)).not.toThrow();
  });

  it("accepts the bench model's construction (Q8_0 matrices, F32 norms), here at a small size", async () => {
    const path = file(buildTinyModel({ ...BENCH_MODEL_OPTIONS, embedding: 64, layers: 3, feedForward: 96 }));
    expect(() => checkGGUFFile(path)).not.toThrow();
    const info = await readGgufFileInfo(path, { readTensorInfo: true });
    const types = new Map(info.tensorInfo?.map((tensor) => [tensor.name, tensor.ggmlType]));
    expect([types.get("token_embd.weight"), types.get("blk.2.ffn_down.weight"), types.get("output.weight")]).toEqual([
      8, 8, 8,
    ]);
    expect(types.get("blk.2.attn_norm.weight")).toBe(0);
    expect(info.metadata.general).toMatchObject({ name: "chatwire-bench", file_type: 7 });
    expect(info.metadata.llama).toMatchObject({ block_count: 3, embedding_length: 64, feed_forward_length: 96 });
  });

  it("accepts every value type, nested arrays, GGUF v2 and quantized tensors", async () => {
    for (const version of [2, 3]) {
      const path = file(richModel(version));
      // node-llama-cpp's own parser reads the same file, so the file itself is a valid GGUF.
      const info = await readGgufFileInfo(path, { readTensorInfo: true });
      expect(info.tensorInfo?.map((tensor) => tensor.name)).toEqual(["q", "h"]);
      expect(() => checkGGUFFile(path)).not.toThrow();
    }
  });

  it("refuses a header that claims 2^62 tensors at once, naming the file", () => {
    const path = file(header(1n << 62n, 0));
    const started = performance.now();
    expect(() => checkGGUFFile(path)).toThrow(`${path}: header claims 2^62 tensors but the file is 24 bytes`);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("refuses metadata counts, string lengths and array lengths the file cannot hold", () => {
    expect(() => checkGGUFFile(file(header(0, 1n << 40n)))).toThrow("header claims 2^40 metadata entries");
    expect(() => checkGGUFFile(file(Buffer.concat([header(0, 1), str("k"), u32(8), u64(1n << 61n)])))).toThrow(
      'truncated: metadata "k" at byte 45 needs 2^61 bytes but the file is 45 bytes',
    );
    const strings = Buffer.concat([header(0, 1), str("k"), u32(9), u32(8), u64(1n << 60n), str("a")]);
    expect(() => checkGGUFFile(file(strings))).toThrow('metadata "k" claims 2^60 items but only 9 bytes are left');
    const floats = Buffer.concat([header(0, 1), str("k"), u32(9), u32(6), u64(1n << 60n)]);
    expect(() => checkGGUFFile(file(floats))).toThrow('truncated: the 2^60 items of metadata "k"');
  });

  it("names a missing file, a directory and a file that is not GGUF", () => {
    const missing = join(directory, "missing.gguf");
    expect(() => checkGGUFFile(missing)).toThrow(`${missing}: cannot read: ENOENT (no such file or directory)`);
    expect(() => checkGGUFFile(directory)).toThrow(`${directory}: not a GGUF file (a directory)`);
    const zip = file(Buffer.from("PK\x03\x04 not a model"));
    expect(() => checkGGUFFile(zip)).toThrow(`${zip}: not a GGUF file (magic 50 4b 03 04`);
    expect(() => checkGGUFFile(file(Buffer.from("GG")))).toThrow("not a GGUF file (2 bytes");
    expect(() => checkGGUFFile(file(Buffer.alloc(0)))).toThrow("not a GGUF file (0 bytes");
  });

  it("refuses other versions, and says when the file looks big-endian", () => {
    expect(() => checkGGUFFile(file(header(0, 0, 1)))).toThrow("GGUF version 1 is not supported, only 2 and 3");
    const bigEndian = Buffer.concat([Buffer.from("GGUF"), Buffer.from([0, 0, 0, 3]), u64(0), u64(0)]);
    expect(() => checkGGUFFile(file(bigEndian))).toThrow("(a big-endian file?)");
  });

  it("refuses every truncated copy of the generated model", () => {
    const bytes = readFileSync(model);
    for (const length of [10, 23, 24, 100, 5000, Math.floor(bytes.length / 2), bytes.length - 4]) {
      expect(() => checkGGUFFile(file(bytes.subarray(0, length))), `cut at ${length}`).toThrow(
        /: (truncated: |header claims |metadata .* claims \d+ items but only)/,
      );
    }
    expect(() => checkGGUFFile(file(bytes.subarray(0, bytes.length - 4)))).toThrow(
      /data ends at byte \d+ but the file is/,
    );
  });

  it("refuses malformed entries with the reason", () => {
    const one = (...parts: Buffer[]) => file(Buffer.concat([header(0, 1), ...parts]));
    expect(() => checkGGUFFile(one(u64(70_000), Buffer.alloc(16)))).toThrow(
      "the key of metadata entry 0 is 70000 bytes long; GGUF allows at most 65535",
    );
    expect(() => checkGGUFFile(one(str("k"), u32(13), u32(0)))).toThrow('metadata "k" has unknown value type 13');
    expect(() => checkGGUFFile(one(str("general.alignment"), u32(4), u32(48)))).toThrow("is 48, not a power of two");
    const tensor = (info: Buffer) => file(pad(Buffer.concat([header(1, 0), info])));
    expect(() => checkGGUFFile(tensor(tensorInfo("x".repeat(65), [1], 0, 0)))).toThrow(
      "is 65 bytes long; GGUF allows at most 64",
    );
    expect(() => checkGGUFFile(tensor(tensorInfo("x", [1, 1, 1, 1, 1], 0, 0)))).toThrow('tensor "x" has 5 dimensions');
    expect(() => checkGGUFFile(tensor(tensorInfo("x", [1], 0, 8)))).toThrow(
      "data offset 8, not a multiple of the alignment 32",
    );
    expect(() => checkGGUFFile(tensor(tensorInfo("x", [100], 12, 0)))).toThrow("not a multiple of its block size 256");
    expect(() => checkGGUFFile(tensor(tensorInfo("x", [1 << 20, 1 << 20], 0, 0)))).toThrow(
      /truncated: tensor "x"'s data ends at byte \d+ but the file is 96 bytes/,
    );
  });
});
