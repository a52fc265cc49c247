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

/** The ggml tensor types this writer emits: their type ids, bytes per block and values per block. */
const TENSOR_TYPES = {
  f32: { id: 0, blockBytes: 4, blockValues: 1 },
  f16: { id: 1, blockBytes: 2, blockValues: 1 },
  // ggml's block_q8_0: one f16 scale, then 32 int8 quants.
  q8_0: { id: 8, blockBytes: 34, blockValues: 32 },
} as const;

export type TensorType = keyof typeof TENSOR_TYPES;

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
  /** How the data is stored; F32 when left out. Q8_0 needs a first dimension that is a multiple of 32. */
  type?: TensorType;
}

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

/**
 * The IEEE 754 binary16 bits of `value` (rounded to float32 first), rounded to nearest, ties to
 * even, as ggml's `GGML_FP32_TO_FP16`: too large is infinity, too small is a signed zero.
 */
export function toHalf(value: number): number {
  f32Scratch[0] = value;
  const bits = u32Scratch[0] as number;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa !== 0 ? 0x200 : 0);
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  // A normal half keeps 10 of the 23 mantissa bits; a subnormal one (exponent <= 0) keeps fewer,
  // counting the implicit leading 1. Rounding may carry into the exponent, which is still right.
  const full = halfExponent > 0 ? mantissa : mantissa | 0x800000;
  const shift = halfExponent > 0 ? 13 : 14 - halfExponent;
  if (shift > 24) return sign;
  let half = (halfExponent > 0 ? halfExponent << 10 : 0) + Math.floor(full / 2 ** shift);
  const rest = full % 2 ** shift;
  const halfway = 2 ** (shift - 1);
  if (rest > halfway || (rest === halfway && (half & 1) === 1)) half++;
  return sign | half;
}

/** `data` in `type`'s layout, little-endian. */
export function encodeTensorData(data: Float32Array, type: TensorType): Uint8Array {
  if (type === "f32") return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const { blockBytes, blockValues } = TENSOR_TYPES[type];
  const bytes = new Uint8Array((data.length / blockValues) * blockBytes);
  const view = new DataView(bytes.buffer);
  if (type === "f16") {
    for (let i = 0; i < data.length; i++) view.setUint16(2 * i, toHalf(data[i] as number), true);
    return bytes;
  }
  // ggml's quantize_row_q8_0_ref: scale d = max |x| / 127, quants round(x / d), halves away from zero.
  for (let block = 0; block * blockValues < data.length; block++) {
    const start = block * blockValues;
    let max = 0;
    for (let i = start; i < start + blockValues; i++) max = Math.max(max, Math.abs(data[i] as number));
    const scale = Math.fround(max / 127);
    const inverse = scale === 0 ? 0 : Math.fround(1 / scale);
    const at = block * blockBytes;
    view.setUint16(at, toHalf(scale), true);
    for (let i = 0; i < blockValues; i++) {
      const scaled = Math.fround((data[start + i] as number) * inverse);
      view.setInt8(at + 2 + i, Math.sign(scaled) * Math.round(Math.abs(scaled)));
    }
  }
  return bytes;
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

/** The bytes of a GGUF v3 file holding `metadata` and `tensors`, in the order given. */
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
  const encoded: Uint8Array[] = [];
  for (const tensor of tensors) {
    const type = TENSOR_TYPES[tensor.type ?? "f32"];
    const elements = tensor.dims.reduce((product, dim) => product * dim, 1);
    if (elements !== tensor.data.length) {
      throw new Error(
        `Tensor ${tensor.name}: dims ${tensor.dims.join("x")} need ${elements} values, got ${tensor.data.length}.`,
      );
    }
    if ((tensor.dims[0] ?? 1) % type.blockValues !== 0) {
      throw new Error(
        `Tensor ${tensor.name}: a first dimension of ${tensor.dims[0]} is not a multiple of ${tensor.type}'s block of ${type.blockValues}.`,
      );
    }
    const data = encodeTensorData(tensor.data, tensor.type ?? "f32");
    encoded.push(data);
    out.string(tensor.name);
    out.u32(tensor.dims.length);
    for (const dim of tensor.dims) out.u64(dim);
    out.u32(type.id);
    out.u64(offset);
    offset += Math.ceil(data.byteLength / GGUF_ALIGNMENT) * GGUF_ALIGNMENT;
  }
  out.padTo(GGUF_ALIGNMENT);
  for (const data of encoded) {
    out.bytes(data);
    out.padTo(GGUF_ALIGNMENT);
  }
  return out.result();
}
