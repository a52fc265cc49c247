/**
 * A token's piece as llama-server's `/tokenize` reports it with `with_pieces`: its text when the
 * text is whole UTF-8, else its bytes (a byte-fallback token, or part of a longer character).
 */
export type TokenPiece = string | number[];

const BYTE_TOKEN = /^<0x([0-9A-Fa-f]{2})>$/;

/**
 * GPT-2's byte-level alphabet: each byte is written as one printable character, so a BPE
 * vocabulary entry spells raw bytes (openai/gpt-2 encoder.py `bytes_to_unicode`).
 */
function byteLevelDecoder(): Map<string, number> {
  const printable: number[] = [];
  for (let byte = 0x21; byte <= 0x7e; byte++) printable.push(byte);
  for (let byte = 0xa1; byte <= 0xac; byte++) printable.push(byte);
  for (let byte = 0xae; byte <= 0xff; byte++) printable.push(byte);
  const decoder = new Map<string, number>();
  let extra = 0;
  for (let byte = 0; byte < 256; byte++) {
    const code = printable.includes(byte) ? byte : 256 + extra++;
    decoder.set(String.fromCodePoint(code), byte);
  }
  return decoder;
}

let byteLevel: Map<string, number> | undefined;

/**
 * The raw bytes a vocabulary entry stands for, where the tokenizer's spelling says: `<0xHH>` in a
 * SentencePiece vocabulary, the byte-level alphabet in a GPT-2 one. Undefined otherwise.
 */
export function vocabularyBytes(text: string, tokenizerModel: string | undefined): number[] | undefined {
  const byte = BYTE_TOKEN.exec(text);
  if (byte) return [Number.parseInt(byte[1] as string, 16)];
  if (tokenizerModel !== "gpt2") return undefined;
  byteLevel ??= byteLevelDecoder();
  const bytes: number[] = [];
  for (const char of text) {
    const value = byteLevel.get(char);
    if (value === undefined) return undefined;
    bytes.push(value);
  }
  return bytes;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The piece of a token: `text` (the detokenized piece) unless it came out with U+FFFD for bytes
 * that are not a whole character, then those bytes.
 */
export function tokenPiece(text: string, vocabularyText: string, tokenizerModel: string | undefined): TokenPiece {
  if (!text.includes("\uFFFD") || vocabularyText.includes("\uFFFD")) return text;
  const bytes = vocabularyBytes(vocabularyText, tokenizerModel);
  if (!bytes) return text;
  try {
    return strictUtf8.decode(new Uint8Array(bytes));
  } catch {
    return bytes;
  }
}
