import type { CaseResult, SuiteReport } from "../results.js";
import { truncate } from "./text.js";
import { countOutcomes } from "./totals.js";

// Long enough to read expected and got in a CI summary line; the element's text keeps the full values.
const maxMessagePart = 200;

/**
 * JUnit XML in the shape Jenkins, GitLab and the GitHub test-report actions read: one <testsuite> per report,
 * one <testcase> per result, <failure> for any failed case (the severity goes in its message and type, since a
 * recommended failure must still show up as a failure), <error> for a case without evidence (it could not be
 * judged: JUnit's "errored" rather than "failed"), and <skipped> with the reason. A target that could not be used
 * at all is one <testcase name="(target)"> with an <error>.
 */
export function toJUnit(reports: readonly SuiteReport[]): string {
  const totals = countOutcomes(reports);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({
      name: "chatwire-conformance",
      tests: totals.pass + totals.fail + totals.skip + totals.noEvidence + totals.unusable,
      failures: totals.fail,
      errors: totals.noEvidence + totals.unusable,
      skipped: totals.skip,
      time: seconds(totals.durationMs),
    })}>`,
  ];
  for (const report of reports) lines.push(...formatSuite(report));
  lines.push("</testsuites>");
  return `${lines.join("\n")}\n`;
}

function formatSuite(report: SuiteReport): string[] {
  const totals = countOutcomes([report]);
  const classname = `${report.kind}.${report.target}`;
  return [
    `  <testsuite${attributes({
      name: classname,
      tests: report.results.length + totals.unusable,
      failures: totals.fail,
      errors: totals.noEvidence + totals.unusable,
      skipped: totals.skip,
      time: seconds(totals.durationMs),
    })}>`,
    "    <properties>",
    `      <property${attributes({ name: "kind", value: report.kind })}/>`,
    `      <property${attributes({ name: "target", value: report.target })}/>`,
    "    </properties>",
    ...(report.unusable === undefined ? [] : formatUnusable(report.unusable, classname)),
    ...report.results.flatMap((result) => formatCase(result, classname)),
    "  </testsuite>",
  ];
}

function formatCase(result: CaseResult, classname: string): string[] {
  const lines = [
    `    <testcase${attributes({ classname, name: result.id, time: seconds(result.durationMs) })}>`,
    // Properties first, as pytest writes them: the readers that know testcase properties expect them there.
    "      <properties>",
    `        <property${attributes({ name: "severity", value: result.severity })}/>`,
    `        <property${attributes({ name: "rationale", value: result.rationale })}/>`,
    ...(result.impact === undefined
      ? []
      : [
          `        <property${attributes({ name: "impact", value: `${result.impact.kind}: ${result.impact.detail}` })}/>`,
        ]),
    "      </properties>",
  ];
  if (result.outcome === "fail") {
    lines.push(
      `      <failure${attributes({ message: failureMessage(result), type: result.severity })}>${escapeText(failureBody(result))}</failure>`,
    );
  } else if (result.outcome === "no-evidence") {
    lines.push(
      `      <error${attributes({ message: noEvidenceMessage(result), type: "no-evidence" })}>${escapeText(failureBody(result, "needs"))}</error>`,
    );
  } else if (result.outcome === "skip") {
    lines.push(`      <skipped${attributes(result.note === undefined ? {} : { message: result.note })}/>`);
  } else if (result.note !== undefined) {
    lines.push(`      <system-out>${escapeText(result.note)}</system-out>`);
  }
  lines.push("    </testcase>");
  return lines;
}

function failureMessage(result: CaseResult): string {
  const part = (text: string) => truncate(text.replace(/\s+/g, " ").trim(), maxMessagePart);
  const summary =
    result.expected !== undefined && result.got !== undefined
      ? `expected ${part(result.expected)}, got ${part(result.got)}`
      : part(result.rationale);
  return `[${result.severity}] ${summary}`;
}

function noEvidenceMessage(result: CaseResult): string {
  const part = (text: string) => truncate(text.replace(/\s+/g, " ").trim(), maxMessagePart);
  return `[${result.severity}] no evidence: needs ${part(result.expected ?? "")}, got ${part(result.got ?? "")}`;
}

function formatUnusable(reason: string, classname: string): string[] {
  return [
    `    <testcase${attributes({ classname, name: "(target)", time: seconds(0) })}>`,
    `      <error${attributes({ message: truncate(reason.replace(/\s+/g, " ").trim(), maxMessagePart * 2), type: "unusable" })}>${escapeText(reason)}</error>`,
    "    </testcase>",
  ];
}

function failureBody(result: CaseResult, expectedLabel = "expected"): string {
  const sections = [`why: ${result.rationale}`];
  if (result.expected !== undefined) sections.push(`${expectedLabel}: ${result.expected}`);
  if (result.got !== undefined) sections.push(`got: ${result.got}`);
  if (result.diff !== undefined) sections.push(`diff:\n${result.diff}`);
  if (result.note !== undefined) sections.push(`note: ${result.note}`);
  return sections.join("\n");
}

function seconds(ms: number): string {
  return Number.isFinite(ms) ? (ms / 1000).toFixed(3) : "0.000";
}

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${escapeAttribute(String(value))}"`)
    .join("");
}

/**
 * Replaces what XML 1.0 cannot carry at all, not even as a character reference (C0 controls other than tab, LF
 * and CR; lone surrogates; U+FFFE and U+FFFF), with a visible \uXXXX escape. Dropping it silently would hide
 * exactly the stray byte a failing case is often about. https://www.w3.org/TR/xml/#charsets
 */
function replaceIllegalCharacters(text: string): string {
  let out = "";
  // for...of walks code points, so a lone surrogate arrives on its own and a valid pair stays whole.
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0;
    const legal =
      codePoint === 0x9 ||
      codePoint === 0xa ||
      codePoint === 0xd ||
      (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
      (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
      codePoint >= 0x10000;
    out += legal ? char : `\\u${codePoint.toString(16).padStart(4, "0")}`;
  }
  return out;
}

const textEscapes: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  // A literal CR would be normalised to LF by every parser; the reference keeps it.
  "\r": "&#13;",
};
// In attributes, parsers also turn literal tabs and newlines into spaces; references survive that normalisation.
const attributeEscapes: Record<string, string> = { ...textEscapes, "\n": "&#10;", "\t": "&#9;" };

function escapeText(text: string): string {
  return replaceIllegalCharacters(text).replace(/[&<>"'\r]/g, (char) => textEscapes[char] ?? char);
}

function escapeAttribute(text: string): string {
  return replaceIllegalCharacters(text).replace(/[&<>"'\r\n\t]/g, (char) => attributeEscapes[char] ?? char);
}
