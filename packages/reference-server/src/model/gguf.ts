/**
 * A GGUF v3 writer: header, typed metadata, tensor infos and 32-byte-aligned tensor data, as
 * specified in ggml's docs/gguf.md. Only what a llama-architecture model needs is supported.
 */

export const GGUF_ALIGNMENT = 32;

/** GGUF metadata value types. */
enum ValueType {
  UINT32 = 4,
  INT32 = 5,
  FLOAT32 = 6,
  BOOL = 7,
  STRING = 8,
  ARRAY = 9,
}

/** ggml tensor types this writer emits. */
const GGML_TYPE_F32 = 0;

export type MetadataValue =
  | { type: "u32"; value: number }
  | { type: "i32"; value: number }
  | { type: "f32"; value: number }
  | { type: "bool"; value: boolean }
  | { type: "string"; value: string }
  | { type: "string[]"; value: readonly string[] }
  | { type: "f32[]"; value: ArrayLike<number> }
  | { type: "i32[]"; value: ArrayLike<number> };

export interface Tensor {
  name: string;
  /** ggml order: the first dimension varies fastest (for a weight matrix, [columns, rows]). */
  dims: readonly number[];
  data: Float32Array;
}

/** Grows a byte buffer as values are appended, little-endian as GGUF requires. */
class ByteWriter {
  #buffer = new Uint8Array(1 << 16);
  #view = new DataView(this.#buffer.buffer);
  length = 0;
  readonly #encoder = new TextEncoder();

  #reserve(bytes: number): void {
    if (this.length + bytes <= this.#buffer.length) return;
    let size = this.#buffer.length * 2;
    while (size < this.length + bytes) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.#buffer.subarray(0, this.length));
    this.#buffer = grown;
    this.#view = new DataView(grown.buffer);
  }

  /** Appends `size` bytes written by `set` at the current end. */
  #fixed(size: number, set: (view: DataView, at: number) => void): void {
    this.#reserve(size);
    set(this.#view, this.length);
    this.length += size;
  }
  u8(value: number): void {
    this.#fixed(1, (view, at) => view.setUint8(at, value));
  }
  u32(value: number): void {
    this.#fixed(4, (view, at) => view.setUint32(at, value, true));
  }
  i32(value: number): void {
    this.#fixed(4, (view, at) => view.setInt32(at, value, true));
  }
  f32(value: number): void {
    this.#fixed(4, (view, at) => view.setFloat32(at, value, true));
  }
  u64(value: number): void {
    this.#fixed(8, (view, at) => view.setBigUint64(at, BigInt(value), true));
  }
  string(value: string): void {
    const bytes = this.#encoder.encode(value);
    this.u64(bytes.length);
    this.bytes(bytes);
  }
  bytes(bytes: Uint8Array): void {
    this.#reserve(bytes.length);
    this.#buffer.set(bytes, this.length);
    this.length += bytes.length;
  }
  padTo(alignment: number): void {
    while (this.length % alignment !== 0) this.u8(0);
  }
  result(): Uint8Array {
    return this.#buffer.subarray(0, this.length);
  }
}

/** A value's type tag, then the value; an array is tagged, then its item type, count and items. */
function writeValue(out: ByteWriter, value: MetadataValue): void {
  const array = <T>(itemType: ValueType, items: ArrayLike<T>, write: (item: T) => void) => {
    out.u32(ValueType.ARRAY);
    out.u32(itemType);
    out.u64(items.length);
    for (let i = 0; i < items.length; i++) write(items[i] as T);
  };
  switch (value.type) {
    case "u32":
      out.u32(ValueType.UINT32);
      out.u32(value.value);
      break;
    case "i32":
      out.u32(ValueType.INT32);
      out.i32(value.value);
      break;
    case "f32":
      out.u32(ValueType.FLOAT32);
      out.f32(value.value);
      break;
    case "bool":
      out.u32(ValueType.BOOL);
      out.u8(value.value ? 1 : 0);
      break;
    case "string":
      out.u32(ValueType.STRING);
      out.string(value.value);
      break;
    case "string[]":
      array(ValueType.STRING, value.value, (item) => out.string(item));
      break;
    case "f32[]":
      array(ValueType.FLOAT32, value.value, (item) => out.f32(item));
      break;
    case "i32[]":
      array(ValueType.INT32, value.value, (item) => out.i32(item));
      break;
  }
}

/** The bytes of a GGUF v3 file holding `metadata` and `tensors` (F32), in the order given. */
export function writeGGUF(metadata: ReadonlyMap<string, MetadataValue>, tensors: readonly Tensor[]): Uint8Array {
  const out = new ByteWriter();
  out.bytes(new TextEncoder().encode("GGUF"));
  out.u32(3);
  out.u64(tensors.length);
  out.u64(metadata.size + 1);
  out.string("general.alignment");
  writeValue(out, { type: "u32", value: GGUF_ALIGNMENT });
  for (const [key, value] of metadata) {
    out.string(key);
    writeValue(out, value);
  }

  let offset = 0;
  for (const tensor of tensors) {
    const elements = tensor.dims.reduce((product, dim) => product * dim, 1);
    if (elements !== tensor.data.length) {
      throw new Error(
        `Tensor ${tensor.name}: dims ${tensor.dims.join("x")} need ${elements} values, got ${tensor.data.length}.`,
      );
    }
    out.string(tensor.name);
    out.u32(tensor.dims.length);
    for (const dim of tensor.dims) out.u64(dim);
    out.u32(GGML_TYPE_F32);
    out.u64(offset);
    offset += Math.ceil(tensor.data.byteLength / GGUF_ALIGNMENT) * GGUF_ALIGNMENT;
  }
  out.padTo(GGUF_ALIGNMENT);
  for (const tensor of tensors) {
    out.bytes(new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
    out.padTo(GGUF_ALIGNMENT);
  }
  return out.result();
}
