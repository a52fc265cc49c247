import { closeSync, fstatSync, openSync, readSync } from "node:fs";

/**
 * A structural check of a GGUF file before llama.cpp sees it: the header, every metadata key/value
 * and every tensor info are walked with each length and count bounded by the bytes the file has left,
 * and the tensor data the infos describe must fit in the file. Only the header part is read (through
 * one fixed window), and nothing is ever allocated by a count read from the file, so a file whose
 * header claims 2^62 tensors fails at once instead of hanging or exhausting memory in the loader.
 */
export function checkGGUFFile(path: string): GGUFSummary {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    throw new Error(`${path}: cannot read: ${systemReason(error)}`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile())
      throw new GGUFProblem(`not a GGUF file (${stat.isDirectory() ? "a directory" : "not a regular file"})`);
    return walk(new Reader(fd, stat.size));
  } catch (error) {
    if (error instanceof GGUFProblem) throw new Error(`${path}: ${error.message}`);
    throw new Error(`${path}: cannot read: ${systemReason(error)}`);
  } finally {
    closeSync(fd);
  }
}

/** What the check learned of the file on the way. */
export interface GGUFSummary {
  /** The string metadata values of up to `MAX_KEPT_STRING_BYTES` bytes (`general.type`, ...), by key. */
  strings: ReadonlyMap<string, string>;
}

/** Longer strings (a vocabulary, a chat template) are skipped: only short ones say what a file is. */
const MAX_KEPT_STRING_BYTES = 256;

/** What is wrong with the file's contents (as opposed to a failure to read it). */
class GGUFProblem extends Error {}

/** `ENOENT (no such file or directory)` from a Node system error, else its message. */
function systemReason(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  const description = /^[A-Z]+: ([^,]+)/.exec(message)?.[1];
  return code ? `${code}${description ? ` (${description})` : ""}` : message;
}

const HEADER_BYTES = 24;
/** ggml's GGML_MAX_DIMS. */
const MAX_DIMS = 4;
/** gguf.md: keys are at most 2^16 - 1 bytes, tensor names at most 64. */
const MAX_KEY_BYTES = 65_535;
const MAX_TENSOR_NAME_BYTES = 64;
/** Arrays of arrays are allowed; deeper than this is no real file and would only recurse. */
const MAX_ARRAY_NESTING = 8;
/** The smallest tensor info: name length, n_dims, type and offset, with an empty name and no dims. */
const MIN_TENSOR_INFO_BYTES = 8 + 4 + 4 + 8;
/** The smallest key/value: key length, value type and a one-byte value. */
const MIN_KV_BYTES = 8 + 4 + 1;
const DEFAULT_ALIGNMENT = 32;

const STRING = 8;
const ARRAY = 9;
/** Byte sizes of GGUF's fixed-size value types: u8 i8 u16 i16 u32 i32 f32 bool, then u64 i64 f64. */
const SCALAR_BYTES: Readonly<Record<number, number>> = {
  0: 1,
  1: 1,
  2: 2,
  3: 2,
  4: 4,
  5: 4,
  6: 4,
  7: 1,
  10: 8,
  11: 8,
  12: 8,
};

/**
 * [bytes per block, values per block] of the ggml tensor types, as llama.cpp's own type traits give
 * them (`ggml_type_size`, `ggml_blck_size`). Types missing here (removed or newer) skip the size check.
 */
const GGML_TYPES: Readonly<Record<number, readonly [bytes: number, values: number, name: string]>> = {
  0: [4, 1, "F32"],
  1: [2, 1, "F16"],
  2: [18, 32, "Q4_0"],
  3: [20, 32, "Q4_1"],
  6: [22, 32, "Q5_0"],
  7: [24, 32, "Q5_1"],
  8: [34, 32, "Q8_0"],
  9: [36, 32, "Q8_1"],
  10: [84, 256, "Q2_K"],
  11: [110, 256, "Q3_K"],
  12: [144, 256, "Q4_K"],
  13: [176, 256, "Q5_K"],
  14: [210, 256, "Q6_K"],
  15: [292, 256, "Q8_K"],
  16: [66, 256, "IQ2_XXS"],
  17: [74, 256, "IQ2_XS"],
  18: [98, 256, "IQ3_XXS"],
  19: [50, 256, "IQ1_S"],
  20: [18, 32, "IQ4_NL"],
  21: [110, 256, "IQ3_S"],
  22: [82, 256, "IQ2_S"],
  23: [136, 256, "IQ4_XS"],
  24: [1, 1, "I8"],
  25: [2, 1, "I16"],
  26: [4, 1, "I32"],
  27: [8, 1, "I64"],
  28: [8, 1, "F64"],
  29: [56, 256, "IQ1_M"],
  30: [2, 1, "BF16"],
  34: [54, 256, "TQ1_0"],
  35: [66, 256, "TQ2_0"],
  39: [17, 32, "MXFP4"],
  40: [36, 64, "NVFP4"],
  41: [18, 128, "Q1_0"],
  42: [18, 64, "Q2_0"],
};

/** `2^62` for large powers of two (what a crafted header tends to hold), else the number. */
function count(value: bigint): string {
  const bits = value.toString(2);
  return value >= 1n << 20n && /^10*$/.test(bits) ? `2^${bits.length - 1}` : value.toString();
}

/** Reads little-endian values at a moving position through one fixed window of the file. */
class Reader {
  static readonly WINDOW_BYTES = 1 << 20;
  readonly #window = Buffer.allocUnsafe(Reader.WINDOW_BYTES);
  #start = 0;
  #end = 0;
  position = 0;

  constructor(
    readonly fd: number,
    readonly size: number,
  ) {}

  get remaining(): number {
    return this.size - this.position;
  }

  /** Throws unless `bytes` more bytes exist; `what` says what they were to hold. */
  ensure(bytes: number | bigint, what: string): void {
    if (BigInt(bytes) > BigInt(this.remaining)) {
      throw new GGUFProblem(
        `truncated: ${what} at byte ${this.position} needs ${count(BigInt(bytes))} bytes but the file is ${this.size} bytes`,
      );
    }
  }

  /** The window's offset of `bytes` bytes at the position, reading them in if they are not held. */
  #at(bytes: number, what: string): number {
    this.ensure(bytes, what);
    if (this.position < this.#start || this.position + bytes > this.#end) {
      const read = readSync(this.fd, this.#window, 0, Reader.WINDOW_BYTES, this.position);
      this.#start = this.position;
      this.#end = this.position + read;
      if (read < bytes) throw new GGUFProblem(`the file shrank while it was read (at byte ${this.position})`);
    }
    const offset = this.position - this.#start;
    this.position += bytes;
    return offset;
  }

  u32(what: string): number {
    return this.#window.readUInt32LE(this.#at(4, what));
  }

  u64(what: string): bigint {
    return this.#window.readBigUInt64LE(this.#at(8, what));
  }

  bytes(length: number, what: string): Buffer {
    const offset = this.#at(length, what);
    return this.#window.subarray(offset, offset + length);
  }

  skip(bytes: number | bigint, what: string): void {
    this.ensure(bytes, what);
    this.position += Number(bytes);
  }

  /** A string's length; it must fit in the file (and under `limit`, when given). */
  stringLength(what: string, limit?: number): number {
    const length = this.u64(`the length of ${what}`);
    if (limit !== undefined && length > BigInt(limit)) {
      throw new GGUFProblem(`${what} is ${count(length)} bytes long; GGUF allows at most ${limit}`);
    }
    this.ensure(length, what);
    return Number(length);
  }

  /** A string short enough to hold in the window (keys and tensor names, limited above). */
  text(what: string, limit: number): string {
    return this.bytes(this.stringLength(what, limit), what).toString("utf8");
  }
}

function walk(reader: Reader): GGUFSummary {
  const { size } = reader;
  if (size < 4) throw new GGUFProblem(`not a GGUF file (${size} bytes, too short for the magic "GGUF")`);
  const magic = reader.bytes(4, "the magic");
  if (magic.toString("latin1") !== "GGUF") {
    const shown = [...magic].map((byte) => byte.toString(16).padStart(2, "0")).join(" ");
    throw new GGUFProblem(
      `not a GGUF file (magic ${shown} ${JSON.stringify(magic.toString("latin1"))}, expected "GGUF")`,
    );
  }
  if (size < HEADER_BYTES) {
    throw new GGUFProblem(`truncated: the file is ${size} bytes, shorter than the ${HEADER_BYTES}-byte GGUF header`);
  }
  const version = reader.u32("the version");
  if (version !== 2 && version !== 3) {
    const swapped = Buffer.alloc(4);
    swapped.writeUInt32BE(version);
    const bigEndian = [2, 3].includes(swapped.readUInt32LE()) ? " (a big-endian file?)" : "";
    throw new GGUFProblem(`GGUF version ${version} is not supported, only 2 and 3${bigEndian}`);
  }
  const tensorCount = reader.u64("the tensor count");
  const kvCount = reader.u64("the metadata count");
  const left = BigInt(reader.remaining);
  if (tensorCount * BigInt(MIN_TENSOR_INFO_BYTES) > left) {
    throw new GGUFProblem(`header claims ${count(tensorCount)} tensors but the file is ${size} bytes`);
  }
  if (kvCount * BigInt(MIN_KV_BYTES) + tensorCount * BigInt(MIN_TENSOR_INFO_BYTES) > left) {
    throw new GGUFProblem(
      `header claims ${count(kvCount)} metadata entries and ${count(tensorCount)} tensors but the file is ${size} bytes`,
    );
  }

  let alignment = DEFAULT_ALIGNMENT;
  const strings = new Map<string, string>();
  for (let i = 0; i < Number(kvCount); i++) {
    const key = reader.text(`the key of metadata entry ${i}`, MAX_KEY_BYTES);
    const type = reader.u32(`the value type of metadata "${key}"`);
    if (key === "general.alignment") {
      if (type !== 4) throw new GGUFProblem(`metadata "general.alignment" has value type ${type}, not u32 (4)`);
      alignment = reader.u32(`metadata "${key}"`);
      if (alignment === 0 || (alignment & (alignment - 1)) !== 0) {
        throw new GGUFProblem(`metadata "general.alignment" is ${alignment}, not a power of two`);
      }
    } else if (type === STRING) {
      const what = `metadata "${key}"`;
      const length = reader.stringLength(what);
      if (length <= MAX_KEPT_STRING_BYTES) strings.set(key, reader.bytes(length, what).toString("utf8"));
      else reader.skip(length, what);
    } else {
      skipValue(reader, type, `metadata "${key}"`, 0);
    }
  }

  // The data section starts after the infos, aligned; the infos are checked as they are read and
  // only the furthest end of any tensor's data is kept.
  let furthest = 0n;
  let furthestTensor = "";
  for (let i = 0; i < Number(tensorCount); i++) {
    const name = reader.text(`the name of tensor ${i}`, MAX_TENSOR_NAME_BYTES);
    const label = `tensor "${name}"`;
    const dimCount = reader.u32(`the dimension count of ${label}`);
    if (dimCount > MAX_DIMS)
      throw new GGUFProblem(`${label} has ${dimCount} dimensions; ggml allows at most ${MAX_DIMS}`);
    let elements = 1n;
    let first = 1n;
    for (let d = 0; d < dimCount; d++) {
      const dim = reader.u64(`dimension ${d} of ${label}`);
      if (d === 0) first = dim;
      elements *= dim;
    }
    if (elements >= 1n << 63n)
      throw new GGUFProblem(`${label} has ${count(elements)} elements, more than ggml can address`);
    const type = reader.u32(`the type of ${label}`);
    const offset = reader.u64(`the data offset of ${label}`);
    if (offset % BigInt(alignment) !== 0n) {
      throw new GGUFProblem(`${label} has data offset ${offset}, not a multiple of the alignment ${alignment}`);
    }
    const traits = GGML_TYPES[type];
    let bytes = 0n;
    if (traits) {
      const [blockBytes, blockValues, typeName] = traits;
      if (first % BigInt(blockValues) !== 0n) {
        throw new GGUFProblem(
          `${label} of type ${typeName} has a first dimension of ${first}, not a multiple of its block size ${blockValues}`,
        );
      }
      bytes = (elements / BigInt(blockValues)) * BigInt(blockBytes);
    }
    if (offset + bytes > furthest) {
      furthest = offset + bytes;
      furthestTensor = label;
    }
  }
  const dataStart = BigInt(Math.ceil(reader.position / alignment) * alignment);
  if (dataStart + furthest > BigInt(size)) {
    throw new GGUFProblem(
      `truncated: ${furthestTensor}'s data ends at byte ${count(dataStart + furthest)} but the file is ${size} bytes`,
    );
  }
  return { strings };
}

/** Steps over one value of `type`, checking every length and count against what the file has left. */
function skipValue(reader: Reader, type: number, what: string, depth: number): void {
  const scalar = SCALAR_BYTES[type];
  if (scalar !== undefined) {
    reader.skip(scalar, what);
    return;
  }
  if (type === STRING) {
    reader.skip(reader.stringLength(what), what);
    return;
  }
  if (type !== ARRAY) throw new GGUFProblem(`${what} has unknown value type ${type}`);
  if (depth >= MAX_ARRAY_NESTING) throw new GGUFProblem(`${what} nests arrays more than ${MAX_ARRAY_NESTING} deep`);
  const itemType = reader.u32(`the item type of ${what}`);
  const length = reader.u64(`the length of ${what}`);
  const itemBytes = SCALAR_BYTES[itemType];
  if (itemBytes !== undefined) {
    reader.skip(length * BigInt(itemBytes), `the ${count(length)} items of ${what}`);
    return;
  }
  if (itemType !== STRING && itemType !== ARRAY) throw new GGUFProblem(`${what} has unknown item type ${itemType}`);
  // A string takes at least its 8-byte length, an array its 4-byte type and 8-byte length.
  const least = BigInt(itemType === STRING ? 8 : 12);
  if (length * least > BigInt(reader.remaining)) {
    throw new GGUFProblem(`${what} claims ${count(length)} items but only ${reader.remaining} bytes are left`);
  }
  for (let i = 0; i < Number(length); i++) skipValue(reader, itemType, `item ${i} of ${what}`, depth + 1);
}
