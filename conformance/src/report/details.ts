/** How the text report writes one case's details and a suite's counts: shared by the suite tables and the driver matrix. */
import type { CaseResult, Outcome } from "../results.js";
import type { Paint, Style } from "./color.js";
import { clip, displayLength, formatDuration, padEnd, visible, wrap } from "./text.js";
import type { Totals } from "./totals.js";

const defaultWidth = 100;
// Below this, wrapping would turn a payload into a column of single characters.
export const minimumDetailWidth = 20;
const maxValueLines = 8;
const maxDiffLines = 40;
export const severityWidth = displayLength("recommended");
export const labelWidth = displayLength("expected: ");

export const outcomeStyle: Record<Outcome, Style> = {
  pass: "green",
  fail: "red",
  skip: "yellow",
  "no-evidence": "red",
};
// Without colour the words stay: a log file read in a pager, or grepped for FAIL, has no colour to tell marks apart.
export const outcomeSymbol: Record<Outcome, string> = { pass: "✓", fail: "✗", skip: "–", "no-evidence": "?" };
export const outcomeWord: Record<Outcome, string> = {
  pass: "PASS",
  fail: "FAIL",
  skip: "SKIP",
  "no-evidence": "NO-EVIDENCE",
};

export interface Layout {
  paint: Paint;
  verbose: boolean;
  markWidth: number;
  idWidth: number;
  timeWidth: number;
  /** Where details start, under the id column. */
  detailIndent: string;
  detailWidth: number;
}

// A stream that is not a TTY reports no columns; wrap as for a common terminal then.
export function usableWidth(width: number | undefined): number {
  return width !== undefined && Number.isFinite(width) && width > 0 ? width : defaultWidth;
}

/** A case's why, expected/got and diff (when judged), and its note, indented under its id. */
export function formatDetails(result: CaseResult, layout: Layout): string[] {
  const lines: string[] = [];
  const showAll = layout.verbose;
  const judged = result.outcome === "fail" || result.outcome === "no-evidence";
  if (judged || showAll) lines.push(...formatField("why", result.rationale, layout));
  if (showAll && result.impact !== undefined) {
    lines.push(...formatField("impact", `${result.impact.kind}: ${result.impact.detail}`, layout));
  }
  if (judged) {
    const label = result.outcome === "fail" ? "expected" : "needs";
    if (result.expected !== undefined) lines.push(...formatField(label, result.expected, layout));
    if (result.got !== undefined) lines.push(...formatField("got", result.got, layout));
    if (result.diff !== undefined) lines.push(...formatDiff(result.diff, layout));
  }
  if (result.note !== undefined && (result.outcome !== "pass" || showAll)) {
    lines.push(...formatField(result.outcome === "skip" ? "skipped" : "note", result.note, layout));
  }
  return lines;
}

export function formatField(label: string, value: string, layout: Layout): string[] {
  const { paint, detailIndent } = layout;
  const valueLines =
    value === "" ? [paint("dim", "(empty)")] : limit(wrap(visible(value), layout.detailWidth), maxValueLines, layout);
  const continuation = " ".repeat(labelWidth);
  return valueLines.map((line, index) =>
    index === 0
      ? `${detailIndent}${paint("dim", padEnd(`${label}:`, labelWidth))}${line}`
      : `${detailIndent}${continuation}${line}`,
  );
}

function formatDiff(diff: string, layout: Layout): string[] {
  const { paint, detailIndent } = layout;
  const indent = `${detailIndent}  `;
  const diffLines = limit(wrap(visible(diff), layout.detailWidth + labelWidth - 2), maxDiffLines, layout);
  return [
    `${detailIndent}${paint("dim", "diff:")}`,
    ...diffLines.map((line) => {
      if (line.startsWith("+")) return indent + paint("green", line);
      if (line.startsWith("-")) return indent + paint("red", line);
      return indent + line;
    }),
  ];
}

function limit(lines: string[], max: number, layout: Layout): string[] {
  return layout.verbose ? lines : clip(lines, max);
}

/** `3 passed, 1 failed (1 required), 0 skipped · 12 ms`. */
export function formatCounts(totals: Totals, paint: Paint): string {
  const passed = `${totals.pass} passed`;
  const required = totals.fail > 0 ? ` (${totals.requiredFail} required)` : "";
  const failed = `${totals.fail} failed${required}`;
  const skipped = `${totals.skip} skipped`;
  const withoutEvidence = `${totals.noEvidence} without evidence (${totals.requiredNoEvidence} required)`;
  return [
    totals.pass > 0 ? paint("green", passed) : passed,
    totals.fail > 0 ? paint("red", failed) : failed,
    ...(totals.noEvidence > 0 ? [paint("red", withoutEvidence)] : []),
    totals.skip > 0 ? paint("yellow", skipped) : skipped,
  ]
    .join(", ")
    .concat(paint("dim", ` · ${formatDuration(totals.durationMs)}`));
}
