import { createHash } from "node:crypto";
import { type CaseResult, type Outcome, requiredPassed, type SuiteReport } from "../results.js";
import { REPORT_SCRIPT } from "./html-script.js";
import { REPORT_STYLE } from "./html-style.js";
import { formatDuration, visible } from "./text.js";
import { countOutcomes, type Totals } from "./totals.js";

export interface HTMLOptions {
  /** The page's title and heading. */
  title?: string;
  /** Shown in the header when given; left out otherwise, so that two renderings of one report are identical. */
  generatedAt?: Date;
}

/**
 * How much of one expected, got, note or rationale the details panel shows. A stream dump can be megabytes; the
 * page stays quick to open and the JSON report keeps every byte.
 */
const maxValueCharacters = 5_000;
const maxDiffCharacters = 20_000;
/** The cell a suite has no result for: the case was not run there. */
const absent = "absent";

const outcomeOrder: readonly Outcome[] = ["fail", "no-evidence", "skip", "pass"];
const outcomeSymbol: Record<Outcome, string> = { pass: "✓", fail: "✗", skip: "–", "no-evidence": "?" };
const outcomeWord: Record<Outcome, string> = {
  pass: "pass",
  fail: "fail",
  skip: "skipped",
  "no-evidence": "no evidence",
};
const kindHeading: Record<SuiteReport["kind"], string> = { check: "Live checks", replay: "Replayed fixtures" };

/**
 * One self-contained page (inline style and script, no requests of any kind) with the totals of every suite and a
 * matrix of case × suite, filterable by dialect and outcome, whose cells open the case's details.
 */
export function toHTML(reports: readonly SuiteReport[], options: HTMLOptions = {}): string {
  const title = options.title ?? "chatwire conformance report";
  const dialects = new DialectIndex();
  const matrices = (["replay", "check"] as const)
    .map((kind) => buildMatrix(reports, kind, dialects))
    .filter((matrix) => matrix.columns.length > 0);
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy()}">`,
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHTML(title)}</title>`,
    `<style>${REPORT_STYLE}</style>`,
    "</head>",
    "<body>",
    renderHeader(reports, title, options.generatedAt),
    renderSuiteCards(reports),
    renderFilters(dialects.names, matrices.length > 0),
    "<main>",
    ...matrices.map(renderMatrix),
    matrices.length === 0 ? '<p class="empty">No suites ran.</p>' : "",
    "</main>",
    renderDetailsPanel(),
    `<script type="application/json" id="report-data">${embedJSON(detailsData(reports))}</script>`,
    `<script>${REPORT_SCRIPT}</script>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

/**
 * Only the page's own style and script may run, by hash; everything else (images, fonts, frames, fetches, form
 * posts) is refused by the browser, so even text that escaped escaping could load nothing.
 */
function contentSecurityPolicy(): string {
  return [
    "default-src 'none'",
    `style-src '${sha256(REPORT_STYLE)}'`,
    `script-src '${sha256(REPORT_SCRIPT)}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

function sha256(text: string): string {
  return `sha256-${createHash("sha256").update(text, "utf8").digest("base64")}`;
}

/** Each dialect is referred to by its position: no name from a report ever lands in an attribute. */
class DialectIndex {
  readonly names: string[] = [];

  of(name: string): number {
    const index = this.names.indexOf(name);
    if (index !== -1) return index;
    this.names.push(name);
    return this.names.length - 1;
  }
}

/** Replay ids are `<dialect>/<fixture>`; a check suite's target is `<dialect> at <base URL>`, as runChecks names it. */
function dialectOf(report: SuiteReport, caseId: string): string {
  if (report.kind === "replay") {
    const slash = caseId.indexOf("/");
    return slash > 0 ? caseId.slice(0, slash) : "other";
  }
  return /^(\S+) at /.exec(report.target)?.[1] ?? "other";
}

interface Column {
  /** Position in `reports`, which the details data is indexed by. */
  suite: number;
  report: SuiteReport;
}

interface Cell {
  /** Position in the suite's results. */
  index: number;
  result: CaseResult;
}

interface Row {
  id: string;
  /** A result per column, undefined where that suite did not run the case. */
  cells: (Cell | undefined)[];
  dialects: number[];
  differs: boolean;
}

interface Matrix {
  kind: SuiteReport["kind"];
  columns: Column[];
  rows: Row[];
}

function buildMatrix(reports: readonly SuiteReport[], kind: SuiteReport["kind"], dialects: DialectIndex): Matrix {
  const columns = reports.flatMap((report, suite) => (report.kind === kind ? [{ suite, report }] : []));
  const rowsByKey = new Map<string, Row>();
  columns.forEach(({ report }, column) => {
    const seen = new Map<string, number>();
    report.results.forEach((result, index) => {
      // A suite that reports one id twice keeps both: the second goes to a row of its own rather than being lost.
      const occurrence = seen.get(result.id) ?? 0;
      seen.set(result.id, occurrence + 1);
      const key = `${occurrence}\u0000${result.id}`;
      let row = rowsByKey.get(key);
      if (row === undefined) {
        row = { id: result.id, cells: columns.map(() => undefined), dialects: [], differs: false };
        rowsByKey.set(key, row);
      }
      row.cells[column] = { index, result };
    });
  });
  const rows = [...rowsByKey.values()];
  for (const row of rows) {
    row.dialects = columns.map(({ report }) => dialects.of(dialectOf(report, row.id)));
    row.differs = outcomesDiffer(row, columns);
  }
  return { kind, columns, rows };
}

/** Whether the suites that could run disagree on a case, a missing result counting as an outcome of its own. */
function outcomesDiffer(row: Row, columns: readonly Column[]): boolean {
  const outcomes = new Set<string>();
  row.cells.forEach((cell, column) => {
    if (columns[column]?.report.unusable === undefined) outcomes.add(cell?.result.outcome ?? absent);
  });
  return outcomes.size > 1;
}

function renderHeader(reports: readonly SuiteReport[], title: string, generatedAt: Date | undefined): string {
  const totals = countOutcomes(reports);
  const cases = reports.reduce((sum, report) => sum + report.results.length, 0);
  const passed = requiredPassed(reports);
  const verdict = passed
    ? "Passed: every required case passed"
    : `Failed: ${failureCauses(totals).join(", ") || "a required case failed"}`;
  const meta = [
    plural(reports.length, "suite"),
    plural(cases, "case"),
    formatDuration(totals.durationMs),
    ...(generatedAt !== undefined && !Number.isNaN(generatedAt.getTime())
      ? [`generated ${generatedAt.toISOString().slice(0, 16).replace("T", " ")} UTC`]
      : []),
  ];
  return [
    '<header class="page-header">',
    `<h1>${escapeHTML(title)}</h1>`,
    `<p class="meta">${escapeHTML(meta.join(" · "))}</p>`,
    `<p class="verdict ${passed ? "verdict-pass" : "verdict-fail"}">${passed ? "✓" : "✗"} ${escapeHTML(verdict)}</p>`,
    renderCounts(totals),
    "</header>",
  ].join("\n");
}

function failureCauses(totals: Totals): string[] {
  const causes: string[] = [];
  if (totals.unusable > 0) causes.push(`${plural(totals.unusable, "target")} unusable`);
  if (totals.requiredFail > 0) causes.push(`${plural(totals.requiredFail, "required case")} failed`);
  if (totals.requiredNoEvidence > 0)
    causes.push(`${plural(totals.requiredNoEvidence, "required case")} without evidence`);
  return causes;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/**
 * The run's counts list every outcome, zeros included, so that one reads where nothing failed; a suite's card
 * lists only what it has, which keeps a page of many drivers short.
 */
function renderCounts(totals: Totals, { skipZeros = false } = {}): string {
  const items: [className: string, count: number, text: string][] = [
    ["count-pass", totals.pass, "passed"],
    ["count-fail", totals.fail, totals.fail > 0 ? `failed (${totals.requiredFail} required)` : "failed"],
    [
      "count-no-evidence",
      totals.noEvidence,
      totals.noEvidence > 0 ? `without evidence (${totals.requiredNoEvidence} required)` : "without evidence",
    ],
    ["count-skip", totals.skip, "skipped"],
  ];
  if (totals.unusable > 0) {
    items.push(["count-fail", totals.unusable, totals.unusable === 1 ? "unusable target" : "unusable targets"]);
  }
  const shown = skipZeros ? items.filter(([, count]) => count > 0) : items;
  if (shown.length === 0) return "";
  return [
    '<ul class="counts">',
    ...shown.map(
      ([className, count, text]) => `<li class="${count > 0 ? className : "count-zero"}"><b>${count}</b> ${text}</li>`,
    ),
    "</ul>",
  ].join("\n");
}

function renderSuiteCards(reports: readonly SuiteReport[]): string {
  if (reports.length === 0) return "";
  const cards = reports.map((report) => {
    // The card says why a target was unusable; its count of one unusable target would only repeat that.
    const totals = { ...countOutcomes([report]), unusable: 0 };
    return [
      `<li class="suite-card${report.unusable === undefined ? "" : " is-unusable"}">`,
      `<h3><span class="kind">${report.kind}</span><code>${escapeHTML(visible(report.target, false))}</code></h3>`,
      renderCounts(totals, { skipZeros: true }),
      renderBar(totals),
      report.unusable === undefined
        ? ""
        : `<p class="unusable"><strong>Unusable:</strong> ${escapeHTML(visible(report.unusable))}</p>`,
      "</li>",
    ].join("\n");
  });
  return [
    '<section class="suites" aria-labelledby="suites-heading">',
    '<h2 id="suites-heading">Suites</h2>',
    '<ol class="suite-cards">',
    ...cards,
    "</ol>",
    "</section>",
  ].join("\n");
}

/** The suite's outcomes as one stacked bar; an SVG, since the page's policy allows no inline style attributes. */
function renderBar(totals: Totals): string {
  const counts: [string, number][] = [
    ["pass", totals.pass],
    ["fail", totals.fail],
    ["no-evidence", totals.noEvidence],
    ["skip", totals.skip],
  ];
  const all = counts.reduce((sum, [, count]) => sum + count, 0);
  if (all === 0) return "";
  const width = 1000;
  let x = 0;
  const segments = counts
    .filter(([, count]) => count > 0)
    .map(([outcome, count]) => {
      const segmentWidth = (count / all) * width;
      const rect = `<rect class="seg-${outcome}" x="${x.toFixed(1)}" y="0" width="${segmentWidth.toFixed(1)}" height="8"></rect>`;
      x += segmentWidth;
      return rect;
    });
  const label = counts.map(([outcome, count]) => `${count} ${outcome}`).join(", ");
  return `<svg class="bar" viewBox="0 0 ${width} 8" preserveAspectRatio="none" role="img" aria-label="${label}">${segments.join("")}</svg>`;
}

function renderFilters(dialectNames: readonly string[], hasMatrix: boolean): string {
  if (!hasMatrix) return "";
  const checkbox = (name: string, value: string, label: string) =>
    `<label><input type="checkbox" name="${name}" value="${value}" checked> ${label}</label>`;
  return [
    // Hidden until the script runs: without it, filters would only be controls that do nothing.
    '<section class="filters" id="filters" aria-label="Filters" hidden>',
    "<fieldset><legend>Dialect</legend>",
    ...dialectNames.map((name, index) => checkbox("dialect", String(index), escapeHTML(visible(name, false)))),
    "</fieldset>",
    "<fieldset><legend>Outcome</legend>",
    ...outcomeOrder.map((outcome) =>
      checkbox(
        "outcome",
        outcome,
        `<span class="outcome-${outcome}">${outcomeSymbol[outcome]}</span> ${outcomeWord[outcome]}`,
      ),
    ),
    "</fieldset>",
    '<label><input type="checkbox" id="filter-differs"> only cases where suites differ</label>',
    '<label>Case <input type="search" id="filter-search" placeholder="filter by id" aria-label="Filter cases by id"></label>',
    '<p class="filter-status" id="filter-status" role="status"></p>',
    "</section>",
  ].join("\n");
}

function renderMatrix(matrix: Matrix): string {
  const headingId = `matrix-${matrix.kind}`;
  const columnHeads = matrix.columns.map(({ report }, column) => {
    const totals = countOutcomes([report]);
    const counts = outcomeOrder
      .map((outcome) => `${outcomeSymbol[outcome]} ${totals[outcome === "no-evidence" ? "noEvidence" : outcome]}`)
      .join(" ");
    return [
      `<th scope="col" data-column="${column}">`,
      `<code>${escapeHTML(visible(report.target, false))}</code>`,
      report.unusable === undefined
        ? `<span class="column-counts">${counts}</span>`
        : '<span class="column-unusable">unusable: see its suite above</span>',
      "</th>",
    ].join("");
  });
  const body = matrix.rows.map((row) => renderRow(row, matrix.columns));
  return [
    `<section class="matrix-section" aria-labelledby="${headingId}">`,
    `<h2 id="${headingId}">${kindHeading[matrix.kind]}</h2>`,
    '<div class="matrix-scroll">',
    '<table class="matrix">',
    `<thead><tr><th scope="col">Case</th>${columnHeads.join("")}</tr></thead>`,
    `<tbody>${body.join("\n")}</tbody>`,
    "</table>",
    matrix.rows.length === 0 ? '<p class="empty">No cases ran.</p>' : "",
    '<p class="empty empty-filtered" hidden>No case matches the filters.</p>',
    "</div>",
    "</section>",
  ].join("\n");
}

function renderRow(row: Row, columns: readonly Column[]): string {
  const severities = row.cells.flatMap((cell) => (cell === undefined ? [] : [cell.result.severity]));
  const severity = severities.includes("required") ? "required" : "recommended";
  const header = [
    `<th scope="row"><code>${escapeHTML(visible(row.id, false))}</code>`,
    `<span class="severity severity-${severity}">${severity}</span>`,
    row.differs ? '<span class="differs" title="The suites disagree on this case">≠ differs</span>' : "",
    "</th>",
  ].join("");
  const cells = row.cells.map((cell, column) => {
    const suite = columns[column]?.suite ?? 0;
    const dialect = row.dialects[column] ?? 0;
    if (cell === undefined) {
      return `<td data-column="${column}" data-dialect="${dialect}" data-outcome="${absent}"><span class="cell-absent" title="Not run in this suite">—</span></td>`;
    }
    const { outcome } = cell.result;
    const judged = outcome === "fail" || outcome === "no-evidence";
    return [
      `<td data-column="${column}" data-dialect="${dialect}" data-outcome="${escapeHTML(outcome)}">`,
      `<button type="button" class="cell outcome-${escapeHTML(outcome)}" data-suite="${suite}" data-case="${cell.index}" aria-pressed="false">`,
      `<span>${outcomeSymbol[outcome] ?? "?"} ${escapeHTML(outcomeWord[outcome] ?? outcome)}</span>`,
      // Typed, but read from a driver's output: escaped like everything else that came from outside.
      judged ? `<span class="sev">${escapeHTML(cell.result.severity)}</span>` : "",
      "</button></td>",
    ].join("");
  });
  return `<tr${row.differs ? ' data-differs="true"' : ""}>${header}${cells.join("")}</tr>`;
}

function renderDetailsPanel(): string {
  return [
    '<aside class="details" id="details" aria-labelledby="details-title" hidden>',
    '<div class="details-head">',
    '<div><h2 id="details-title" tabindex="-1"></h2><p class="details-suite" id="details-suite"></p></div>',
    '<button type="button" class="close" id="details-close">Close <span aria-hidden="true">×</span></button>',
    "</div>",
    '<p class="details-badges" id="details-badges"></p>',
    '<dl id="details-fields"></dl>',
    "</aside>",
    '<noscript><p class="empty">The matrix cells open their details with JavaScript; the JSON report (--json) has them too.</p></noscript>',
  ].join("\n");
}

interface ShownText {
  text: string;
  /** Set when the text was cut: how many characters are shown, and how many there are. */
  shown?: number;
  length?: number;
}

function shownText(text: string | undefined, max: number): ShownText | undefined {
  if (text === undefined) return undefined;
  const characters = [...text];
  // Control characters become escapes (as in the text report): an ESC or NUL is often what a failure is about.
  if (characters.length <= max) return { text: visible(text) };
  return { text: visible(characters.slice(0, max).join("")), shown: max, length: characters.length };
}

/** What the details panel shows, per suite and in result order, so a cell finds its case by two indices. */
function detailsData(reports: readonly SuiteReport[]) {
  return {
    suites: reports.map((report) => ({
      kind: report.kind,
      target: visible(report.target, false),
      results: report.results.map((result) => ({
        id: visible(result.id, false),
        severity: result.severity,
        outcome: result.outcome,
        duration: formatDuration(result.durationMs),
        rationale: shownText(result.rationale, maxValueCharacters),
        impact: shownText(result.impact && `${result.impact.kind}: ${result.impact.detail}`, maxValueCharacters),
        expected: shownText(result.expected, maxValueCharacters),
        got: shownText(result.got, maxValueCharacters),
        diff: shownText(result.diff, maxDiffCharacters),
        note: shownText(result.note, maxValueCharacters),
      })),
    })),
  };
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>` and `&` as \u escapes, so that no `</script>` or
 * `<!--` in the data can end the block or change how it is parsed; JSON.parse reads the escapes back unchanged.
 */
function embedJSON(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

const htmlEscapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

function escapeHTML(text: string): string {
  return text.replace(/[&<>"']/g, (char) => htmlEscapes[char] ?? char);
}
