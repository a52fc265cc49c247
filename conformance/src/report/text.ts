const namedEscapes: Record<number, string> = { 8: "\\b", 9: "\\t", 10: "\\n", 12: "\\f", 13: "\\r" };

function isSurrogate(codePoint: number): boolean {
  return codePoint >= 0xd800 && codePoint <= 0xdfff;
}

/**
 * Shows control characters as escapes. Reports carry raw wire data from a backend under test; an ESC or CR in
 * it would otherwise recolour the terminal, move the cursor or hide text, even with colour off.
 * C1 controls (0x80-0x9F) are included because some terminals read 0x9B as the start of an escape sequence.
 */
export function visible(text: string, keepNewlines = true): string {
  let out = "";
  // for...of walks code points, so a lone surrogate arrives on its own and a valid pair stays whole.
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0;
    if (char === "\n" && keepNewlines) out += char;
    else if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f) || isSurrogate(codePoint)) {
      out += namedEscapes[codePoint] ?? `\\u${codePoint.toString(16).padStart(4, "0")}`;
    } else out += char;
  }
  return out;
}

/** Length in code points, which is what a terminal column count is closest to for the text reports carry. */
export function displayLength(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}

export function padEnd(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - displayLength(text)));
}

export function padStart(text: string, width: number): string {
  return " ".repeat(Math.max(0, width - displayLength(text))) + text;
}

/** Splits text into lines no wider than `width`, breaking long lines hard: wire data rarely has spaces to break on. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const line of text.split("\n")) {
    const chars = [...line];
    if (chars.length === 0) lines.push("");
    let start = 0;
    while (start < chars.length) {
      let end = Math.min(start + width, chars.length);
      // Break after the last space that fits, so words stay whole; a word longer than the line is cut.
      if (end < chars.length) {
        const space = chars.lastIndexOf(" ", end - 1);
        if (space > start) end = space + 1;
      }
      lines.push(chars.slice(start, end).join("").trimEnd());
      start = end;
    }
  }
  return lines;
}

/** Keeps the first `max` lines and says how many were left out, so a huge payload cannot bury the table. */
export function clip(lines: readonly string[], max: number): string[] {
  if (lines.length <= max) return [...lines];
  const omitted = lines.length - (max - 1);
  return [...lines.slice(0, max - 1), `… ${omitted} more lines (full text in JSON/JUnit)`];
}

/** Cuts one line to `max` code points, marking the cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join("")}…`;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "–";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
