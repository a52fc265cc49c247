import { type CaseResult, type Outcome, requiredPassed, type SuiteReport } from "../results.js";
import { createPaint, type Paint, type Style } from "./color.js";
import { clip, displayLength, formatDuration, padEnd, padStart, visible, wrap } from "./text.js";
import { countOutcomes, type Totals } from "./totals.js";

export interface FormatOptions {
  color: boolean;
  /** Show every case's rationale and note, and expected/got/diff uncut. */
  verbose?: boolean;
  /** Columns to wrap details to; pass the stream's `columns` on a TTY. */
  width?: number;
}

const defaultWidth = 100;
// Below this, wrapping would turn a payload into a column of single characters.
const minimumDetailWidth = 20;
const maxValueLines = 8;
const maxDiffLines = 40;
const severityWidth = displayLength("recommended");
const labelWidth = displayLength("expected: ");

const outcomeStyle: Record<Outcome, Style> = { pass: "green", fail: "red", skip: "yellow", "no-evidence": "red" };
// Without colour the words stay: a log file read in a pager, or grepped for FAIL, has no colour to tell marks apart.
const outcomeSymbol: Record<Outcome, string> = { pass: "✓", fail: "✗", skip: "–", "no-evidence": "?" };
const outcomeWord: Record<Outcome, string> = { pass: "PASS", fail: "FAIL", skip: "SKIP", "no-evidence": "NO-EVIDENCE" };

interface Layout {
  paint: Paint;
  verbose: boolean;
  markWidth: number;
  idWidth: number;
  timeWidth: number;
  /** Where details start, under the id column. */
  detailIndent: string;
  detailWidth: number;
}

/** A readable per-suite table for a terminal; the JSON and JUnit reports are the ones that keep every byte. */
export function formatReport(reports: readonly SuiteReport[], options: FormatOptions): string {
  const paint = createPaint(options.color);
  const lines: string[] = [];
  for (const report of reports) {
    lines.push(...formatSuite(report, options, paint), "");
  }
  lines.push(formatOverall(reports, paint));
  return `${lines.join("\n")}\n`;
}

function formatSuite(report: SuiteReport, options: FormatOptions, paint: Paint): string[] {
  const markWidth = options.color
    ? 1
    : Math.max(4, ...report.results.map((result) => displayLength(outcomeWord[result.outcome])));
  const detailIndent = " ".repeat(2 + markWidth + 2);
  const layout: Layout = {
    paint,
    verbose: options.verbose ?? false,
    markWidth,
    idWidth: Math.max(0, ...report.results.map((result) => displayLength(visible(result.id, false)))),
    timeWidth: Math.max(0, ...report.results.map((result) => displayLength(formatDuration(result.durationMs)))),
    detailIndent,
    detailWidth: Math.max(minimumDetailWidth, usableWidth(options.width) - detailIndent.length - labelWidth),
  };
  const lines = [paint("bold", `${report.kind}  ${visible(report.target, false)}`)];
  if (report.unusable !== undefined) {
    lines.push(
      ...formatField("unusable", report.unusable, { ...layout, detailIndent: "  " }).map((line) => paint("red", line)),
    );
  } else if (report.results.length === 0) lines.push(paint("dim", "  (no cases)"));
  for (const result of report.results) lines.push(formatRow(result, layout), ...formatDetails(result, layout));
  lines.push(`  ${formatCounts(countOutcomes([report]), paint)}`);
  return lines;
}

// A stream that is not a TTY reports no columns; wrap as for a common terminal then.
function usableWidth(width: number | undefined): number {
  return width !== undefined && Number.isFinite(width) && width > 0 ? width : defaultWidth;
}

function formatRow(result: CaseResult, layout: Layout): string {
  const { paint } = layout;
  const style = outcomeStyle[result.outcome];
  const mark =
    layout.markWidth === 1 ? outcomeSymbol[result.outcome] : padEnd(outcomeWord[result.outcome], layout.markWidth);
  const id = padEnd(visible(result.id, false), layout.idWidth);
  const severity = padEnd(result.severity, severityWidth);
  const time = padStart(formatDuration(result.durationMs), layout.timeWidth);
  return [
    `  ${paint(style, mark)}`,
    result.outcome === "fail" || result.outcome === "no-evidence" ? paint("bold", id) : id,
    result.severity === "required" ? severity : paint("dim", severity),
    paint("dim", time),
  ].join("  ");
}

function formatDetails(result: CaseResult, layout: Layout): string[] {
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

function formatField(label: string, value: string, layout: Layout): string[] {
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

function formatCounts(totals: Totals, paint: Paint): string {
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

function failureCauses(totals: Totals): string[] {
  const cases = (n: number) => `${n} required ${n === 1 ? "case" : "cases"}`;
  const causes: string[] = [];
  if (totals.unusable > 0) causes.push(`${totals.unusable} ${totals.unusable === 1 ? "target" : "targets"} unusable`);
  if (totals.requiredFail > 0) causes.push(`${cases(totals.requiredFail)} failed`);
  if (totals.requiredNoEvidence > 0) causes.push(`${cases(totals.requiredNoEvidence)} without evidence`);
  return causes;
}

function formatOverall(reports: readonly SuiteReport[], paint: Paint): string {
  const totals = countOutcomes(reports);
  const suites = `${reports.length} ${reports.length === 1 ? "suite" : "suites"}`;
  const verdict = requiredPassed(reports)
    ? paint("green", "PASSED (every required case passed)")
    : paint("red", `FAILED (${failureCauses(totals).join(", ")})`);
  return `${paint("bold", "Overall:")} ${suites}, ${formatCounts(totals, paint)} — ${verdict}`;
}
