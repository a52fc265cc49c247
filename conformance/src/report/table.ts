import { type CaseResult, requiredPassed, type SuiteReport } from "../results.js";
import { createPaint, type Paint } from "./color.js";
import {
  formatCounts,
  formatDetails,
  formatField,
  type Layout,
  labelWidth,
  minimumDetailWidth,
  outcomeStyle,
  outcomeSymbol,
  outcomeWord,
  severityWidth,
  usableWidth,
} from "./details.js";
import { formatReplayMatrix } from "./matrix.js";
import { displayLength, formatDuration, padEnd, padStart, visible } from "./text.js";
import { countOutcomes, type Totals } from "./totals.js";

export interface FormatOptions {
  color: boolean;
  /** Show every case's rationale and note, and expected/got/diff uncut. */
  verbose?: boolean;
  /** Columns to wrap details to; pass the stream's `columns` on a TTY. */
  width?: number;
}

/**
 * A readable per-suite table for a terminal; the JSON and JUnit reports are the ones that keep every byte.
 * Several replay suites (one per driver) make one matrix of fixtures × drivers instead, where the first of
 * them stands.
 */
export function formatReport(reports: readonly SuiteReport[], options: FormatOptions): string {
  const paint = createPaint(options.color);
  const replays = reports.filter((report) => report.kind === "replay");
  const lines: string[] = [];
  for (const report of reports) {
    if (replays.length < 2 || report.kind !== "replay") lines.push(...formatSuite(report, options, paint), "");
    else if (report === replays[0]) lines.push(...formatReplayMatrix(replays, options, paint), "");
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
