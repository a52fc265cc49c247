/** Pieces joined into a block at a time: the text then costs its own bytes, not a reference per piece. */
const PIECES_PER_BLOCK = 1024;

/**
 * Text that arrives in many small pieces (a token per chunk) and is read rarely, or only at the
 * end. Appending never copies earlier text, and the pieces are joined into flat blocks as they
 * come, so a long stream holds about the text's own size rather than one string object and one
 * array slot per piece. Reading joins the blocks once and keeps the result as the only block, so
 * reading again, or after more pieces, does not join the same text twice.
 */
export class TextPieces {
  #blocks: string[] = [];
  #pieces: string[] = [];

  push(piece: string): void {
    this.#pieces.push(piece);
    if (this.#pieces.length === PIECES_PER_BLOCK) {
      this.#blocks.push(this.#pieces.join(""));
      this.#pieces = [];
    }
  }

  text(): string {
    if (this.#pieces.length === 0 && this.#blocks.length === 1) return this.#blocks[0] as string;
    const whole = this.#blocks.join("") + this.#pieces.join("");
    this.#blocks = [whole];
    this.#pieces = [];
    return whole;
  }
}
