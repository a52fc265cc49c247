/**
 * Streaming UTF-8 decoding with the output of `new TextDecoder("utf-8")` fed `{ stream: true }`,
 * at the speed of one-shot decoding.
 *
 * Why: in Node, `decode(chunk, { stream: true })` goes through a stateful converter that runs about
 * eight times slower than a one-shot `decode(chunk)` (measured on 4 KiB pieces of ASCII: ~0.9 GB/s
 * against ~7 GB/s), and decoding was most of the SSE parser's time. So each chunk is decoded in one
 * shot up to its last complete character; the bytes of a character cut off at the end of the chunk
 * are held back and decoded in front of the next chunk.
 *
 * The output is the same as the streaming decoder's, chunk for chunk: UTF-8 decoding restarts at
 * every lead byte, so decoding the chunk up to the start of its last, unfinished character and
 * decoding that character together with what follows gives what one pass over all the bytes gives,
 * U+FFFD replacements included, and each replacement comes out with the same chunk. One byte-order mark is stripped at the start of the stream only, as a
 * streaming decoder with `ignoreBOM: false` does.
 */
export class Utf8StreamDecoder {
  // One-shot decoding would strip a BOM at the start of every chunk; the stream's one is removed here.
  readonly #decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  // The start of a character cut off at the end of the previous chunk (at most 3 bytes).
  #held: Uint8Array | undefined;
  #atStreamStart = true;

  /** Decodes the next chunk; a character cut at its end is returned with the chunk that finishes it. */
  decode(chunk: Uint8Array): string {
    let bytes = chunk;
    if (this.#held !== undefined) {
      bytes = new Uint8Array(this.#held.length + chunk.length);
      bytes.set(this.#held);
      bytes.set(chunk, this.#held.length);
      this.#held = undefined;
    }
    const complete = completeLength(bytes);
    if (complete < bytes.length) this.#held = bytes.slice(complete);
    if (complete === 0) return "";
    return this.#stripBOM(this.#decoder.decode(complete === bytes.length ? bytes : bytes.subarray(0, complete)));
  }

  /** End of stream: a character still cut off becomes U+FFFD. The decoder is then ready for a new stream. */
  end(): string {
    const held = this.#held;
    this.#held = undefined;
    const text = held === undefined ? "" : this.#stripBOM(this.#decoder.decode(held));
    this.#atStreamStart = true;
    return text;
  }

  #stripBOM(text: string): string {
    if (!this.#atStreamStart || text.length === 0) return text;
    this.#atStreamStart = false;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
}

/**
 * The length of `bytes` without the start of a character that the end cuts off: a lead byte and the
 * continuation bytes after it, when they are fewer than the lead announces and still a valid start.
 * An invalid start is not held back: a streaming decoder turns it into U+FFFD at once, and so must
 * this one, or a size limit downstream would trip one chunk late.
 */
function completeLength(bytes: Uint8Array): number {
  const end = bytes.length;
  // Fast path: the last byte is ASCII, so no character is cut.
  if (end === 0 || (bytes[end - 1] as number) < 0x80) return end;
  const earliest = end >= 3 ? end - 3 : 0;
  for (let index = end - 1; index >= earliest; index--) {
    const lead = bytes[index] as number;
    if (lead >= 0x80 && lead < 0xc0) continue; // a continuation byte: the lead is further back
    const needed = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
    if (lead < 0xc2 || lead > 0xf4 || end - index >= needed) return end;
    return index + 1 === end || validSecondByte(lead, bytes[index + 1] as number) ? index : end;
  }
  return end;
}

/** UTF-8's limits on the byte after a lead (no overlong forms, no surrogates, nothing past U+10FFFF). */
function validSecondByte(lead: number, byte: number): boolean {
  if (lead === 0xe0) return byte >= 0xa0 && byte <= 0xbf;
  if (lead === 0xed) return byte >= 0x80 && byte <= 0x9f;
  if (lead === 0xf0) return byte >= 0x90 && byte <= 0xbf;
  if (lead === 0xf4) return byte >= 0x80 && byte <= 0x8f;
  return byte >= 0x80 && byte <= 0xbf;
}
