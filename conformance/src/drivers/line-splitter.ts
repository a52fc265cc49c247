/** What a stream of bytes is cut into: whole lines, or word that one line ran past the limit. */
export type LinePiece = { kind: "line"; text: string } | { kind: "overlong"; bytes: number };

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Cuts bytes into lines at `\n` (a `\r` before it is dropped), holding at most `maxLineBytes` of a
 * line that has not ended: past that, the line is reported as overlong once and its bytes up to the
 * next newline are dropped, so a driver that never ends a line cannot fill the runner's memory.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private discarding = false;

  constructor(private readonly maxLineBytes: number) {}

  push(bytes: Buffer): LinePiece[] {
    const pieces: LinePiece[] = [];
    let start = 0;
    while (start < bytes.length) {
      const newline = bytes.indexOf(NEWLINE, start);
      const end = newline === -1 ? bytes.length : newline;
      this.hold(bytes.subarray(start, end), pieces);
      if (newline === -1) break;
      if (this.discarding) this.discarding = false;
      else pieces.push({ kind: "line", text: this.takeLine() });
      start = newline + 1;
    }
    return pieces;
  }

  private hold(bytes: Buffer, pieces: LinePiece[]): void {
    if (this.discarding || bytes.length === 0) return;
    if (this.pendingBytes + bytes.length > this.maxLineBytes) {
      pieces.push({ kind: "overlong", bytes: this.pendingBytes + bytes.length });
      this.pending = [];
      this.pendingBytes = 0;
      this.discarding = true;
      return;
    }
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
  }

  private takeLine(): string {
    let line = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    if (line.at(-1) === CARRIAGE_RETURN) line = line.subarray(0, -1);
    return line.toString("utf8");
  }
}

/** The last `maxBytes` of what a stream wrote, e.g. a driver's stderr for the report. */
export class BoundedTail {
  private kept = Buffer.alloc(0);

  constructor(private readonly maxBytes: number) {}

  push(bytes: Buffer): void {
    const joined = Buffer.concat([this.kept, bytes]);
    this.kept = joined.length > this.maxBytes ? joined.subarray(joined.length - this.maxBytes) : joined;
  }

  /** The last `maxChars` characters of what was kept, trimmed. */
  text(maxChars = Number.POSITIVE_INFINITY): string {
    const text = this.kept.toString("utf8").trimEnd();
    return text.length > maxChars ? `…${text.slice(text.length - maxChars)}` : text;
  }
}
