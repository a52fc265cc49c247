import type { CaseResult, Outcome, SuiteReport } from "../results.js";
import type { Paint, Style } from "./color.js";
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
  usableWidth,
} from "./details.js";
import type { FormatOptions } from "./table.js";
import { displayLength, padEnd, visible } from "./text.js";
import { countOutcomes } from "./totals.js";

/** The mark of a cell whose driver has no result for the fixture (it was unusable). */
const NO_RESULT = "·";

/**
 * The replay suites of several drivers as one table: a row per fixture, a column per driver, one mark
 * per cell; then each driver's counts, the reason for every failure, and the skips grouped by reason.
 */
export function formatReplayMatrix(suites: readonly SuiteReport[], options: FormatOptions, paint: Paint): string[] {
  const ids = fixtureIds(suites);
  const byDriver = suites.map((suite) => new Map(suite.results.map((result) => [result.id, result])));
  const markWidth = options.color
    ? 1
    : Math.max(4, ...suites.flatMap((s) => s.results.map((r) => outcomeWord[r.outcome].length)));
  const idWidth = Math.max(displayLength("fixture"), ...ids.map((id) => displayLength(visible(id, false))));
  const names = suites.map((suite) => visible(suite.target, false));
  const width = usableWidth(options.width);
  const namesFit =
    2 + idWidth + names.reduce((sum, name) => sum + 2 + Math.max(markWidth, displayLength(name)), 0) <= width;
  const headers = namesFit ? names : names.map((_, index) => `${index + 1}`);
  const columnWidths = headers.map((header) => Math.max(markWidth, displayLength(header)));
  const cell = (text: string, column: number) => padEnd(text, columnWidths[column] ?? markWidth);
  // Padded outside the colour, so that the codes wrap the mark alone.
  const paintedCell = (style: Style, text: string, column: number) =>
    paint(style, text) + cell(text, column).slice(text.length);

  const lines = [paint("bold", `replay  ${suites.length} drivers, ${ids.length} fixtures`)];
  if (!namesFit) lines.push(...names.map((name, index) => `  ${paint("dim", `${index + 1}:`)} ${name}`));
  lines.push(paint("dim", `  ${[padEnd("fixture", idWidth), ...headers.map(cell)].join("  ").trimEnd()}`));
  for (const id of ids) {
    const marks = byDriver.map((results, column) => {
      const result = results.get(id);
      if (!result) return paintedCell("dim", NO_RESULT, column);
      const mark = options.color ? outcomeSymbol[result.outcome] : outcomeWord[result.outcome];
      return paintedCell(outcomeStyle[result.outcome], mark, column);
    });
    const failed = byDriver.some((results) => isJudged(results.get(id)?.outcome));
    const label = visible(id, false);
    const padding = " ".repeat(idWidth - displayLength(label));
    lines.push(`  ${[`${failed ? paint("bold", label) : label}${padding}`, ...marks].join("  ").trimEnd()}`);
  }

  lines.push("");
  const nameWidth = Math.max(...names.map(displayLength));
  suites.forEach((suite, index) => {
    const name = padEnd(names[index] ?? "", nameWidth);
    const counts =
      suite.unusable === undefined ? formatCounts(countOutcomes([suite]), paint) : paint("red", "unusable (see below)");
    lines.push(`  ${name}  ${counts}`);
  });
  lines.push(...formatProblems(suites, ids, byDriver, names, options, paint));
  return lines;
}

function isJudged(outcome: Outcome | undefined): boolean {
  return outcome === "fail" || outcome === "no-evidence";
}

/** Every fixture id of any suite, in the order they first appear. */
function fixtureIds(suites: readonly SuiteReport[]): string[] {
  const ids = new Set<string>();
  for (const suite of suites) for (const result of suite.results) ids.add(result.id);
  return [...ids];
}

function formatProblems(
  suites: readonly SuiteReport[],
  ids: readonly string[],
  byDriver: readonly Map<string, CaseResult>[],
  names: readonly string[],
  options: FormatOptions,
  paint: Paint,
): string[] {
  const failures = ids.flatMap((id) =>
    byDriver.flatMap((results, index) => {
      const result = results.get(id);
      return result && isJudged(result.outcome) ? [{ result, driver: names[index] ?? "" }] : [];
    }),
  );
  const markWidth = options.color
    ? 1
    : Math.max(4, ...failures.map(({ result }) => displayLength(outcomeWord[result.outcome])));
  const detailIndent = " ".repeat(2 + markWidth + 2);
  const layout: Layout = {
    paint,
    verbose: options.verbose ?? false,
    markWidth,
    idWidth: 0,
    timeWidth: 0,
    detailIndent,
    detailWidth: Math.max(minimumDetailWidth, usableWidth(options.width) - detailIndent.length - labelWidth),
  };
  const lines: string[] = [];
  suites.forEach((suite, index) => {
    if (suite.unusable === undefined) return;
    lines.push("", paint("bold", `  ${names[index]}`));
    const unusable = formatField("unusable", suite.unusable, { ...layout, detailIndent: "    " });
    lines.push(...unusable.map((line) => paint("red", line)));
  });
  if (failures.length > 0) lines.push("", paint("bold", "  failures"));
  for (const { result, driver } of failures) {
    const mark = options.color ? outcomeSymbol[result.outcome] : outcomeWord[result.outcome];
    lines.push(
      `  ${paint(outcomeStyle[result.outcome], padEnd(mark, markWidth))}  ${paint("bold", visible(result.id, false))}  ${paint("dim", "with")} ${driver}`,
      ...formatDetails(result, layout),
    );
  }
  const skips = groupedSkips(suites, names);
  if (skips.length > 0) lines.push("", paint("bold", "  skipped"));
  for (const skip of skips) {
    const cases = `${skip.count} ${skip.count === 1 ? "fixture" : "fixtures"}`;
    lines.push(`  ${paint("yellow", skip.driver)}  ${cases}: ${visible(skip.note, false)}`);
  }
  return lines;
}

/** Skips of each driver, one line per reason: a driver that speaks one dialect skips the other two's fixtures alike. */
function groupedSkips(suites: readonly SuiteReport[], names: readonly string[]) {
  const groups: { driver: string; note: string; count: number }[] = [];
  suites.forEach((suite, index) => {
    const byNote = new Map<string, number>();
    for (const result of suite.results) {
      if (result.outcome === "skip") byNote.set(result.note ?? "", (byNote.get(result.note ?? "") ?? 0) + 1);
    }
    for (const [note, count] of byNote)
      groups.push({ driver: names[index] ?? "", note: note || "no reason given", count });
  });
  return groups;
}
