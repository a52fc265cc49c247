/** Medians and spreads of benchmark samples, and a plain-text table to print them in. */

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  // An even count takes the mean of the two middle samples, so two rounds do not report the larger one.
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export interface Summary {
  median: number;
  min: number;
  max: number;
}

export function summarize(xs: readonly number[]): Summary | undefined {
  if (xs.length === 0) return undefined;
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
}

/** `a[i] / b[i]` for each pair: samples taken in the same round are compared with each other. */
export function pairedRatios(a: readonly number[], b: readonly number[]): number[] {
  const count = Math.min(a.length, b.length);
  return Array.from({ length: count }, (_, i) => (a[i] as number) / (b[i] as number));
}

/** `median (min–max)` with the given decimals; `n/a` when there is nothing to show. */
export function formatSummary(summary: Summary | undefined, digits: number): string {
  if (!summary) return "n/a";
  const grouped = (x: number) =>
    x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return `${grouped(summary.median)} (${grouped(summary.min)}–${grouped(summary.max)})`;
}

/** A Markdown table, columns padded so it also reads in a terminal. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${widths.map((width, column) => (cells[column] ?? "").padEnd(width)).join(" | ")} |`;
  return [line(header), `| ${widths.map((width) => "-".repeat(width)).join(" | ")} |`, ...rows.map(line)].join("\n");
}
