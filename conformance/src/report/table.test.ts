import { describe, expect, it } from "vitest";
import type { CaseResult, SuiteReport } from "../results.js";
import { formatReport } from "./table.js";
import { lineIndex } from "./test-lines.js";
import { sampleReports } from "./test-reports.js";

const ESC = "\u001b";

function suiteWith(...results: CaseResult[]): SuiteReport[] {
  return [{ kind: "check", target: "octoai at http://127.0.0.1:8080/octoai", results }];
}

function failing(overrides: Partial<CaseResult>): CaseResult {
  return { id: "x", severity: "required", rationale: "why", outcome: "fail", durationMs: 1, ...overrides };
}

describe("formatReport", () => {
  it("writes no escape codes without colour, and words a log can be grepped for", () => {
    const text = formatReport(sampleReports(), { color: false });
    expect(text).not.toContain(ESC);
    expect(text).toMatch(/^ {2}PASS {2}envelope\.id /m);
    expect(text).toMatch(/^ {2}FAIL {2}framing\.done-last /m);
    expect(text).toMatch(/^ {2}SKIP {2}tools\.parallel /m);
  });

  it("colours marks and counts when asked", () => {
    const text = formatReport(sampleReports(), { color: true });
    expect(text).toContain(`${ESC}[32m✓${ESC}[39m`);
    expect(text).toContain(`${ESC}[31m✗${ESC}[39m`);
    expect(text).toContain(`${ESC}[33m–${ESC}[39m`);
    expect(text).toContain(`${ESC}[2m`);
  });

  it("heads each suite with its kind and target", () => {
    const lines = formatReport(sampleReports(), { color: false }).split("\n");
    expect(lines[0]).toBe("check  gradient at http://127.0.0.1:8080/gradient");
    expect(lines).toContain("replay  @chatwire/octoai");
  });

  it("follows a failure with why, expected, got and the diff, indented under the id", () => {
    const lines = formatReport(sampleReports(), { color: false }).split("\n");
    const row = lineIndex(lines, "framing.done-last");
    expect(lines.slice(row + 1, row + 8)).toEqual([
      "        why:      Clients stop reading at [DONE]; without it they wait for the socket to close.",
      "        expected: data: [DONE] as the last event",
      "        got:      stream ended after 14 events without data: [DONE]",
      "        diff:",
      '            data: {"choices":[]}',
      "          - data: [DONE]",
      "          + <connection closed>",
    ]);
    expect(lines[row]?.indexOf("framing")).toBe(8);
  });

  it("colours diff lines by sign", () => {
    const text = formatReport(sampleReports(), { color: true });
    expect(text).toContain(`${ESC}[31m- data: [DONE]${ESC}[39m`);
    expect(text).toContain(`${ESC}[32m+ <connection closed>${ESC}[39m`);
  });

  it("gives skipped cases their reason, and keeps pass notes and rationales for verbose", () => {
    const quiet = formatReport(sampleReports(), { color: false });
    expect(quiet).toContain("skipped:  backend does not advertise tools");
    expect(quiet).not.toContain("id looked like");
    expect(quiet).not.toContain("Clients key a stream's chunks by id.");
    const verbose = formatReport(sampleReports(), { color: false, verbose: true });
    expect(verbose).toContain("note:     id looked like chatcmpl-…");
    expect(verbose).toContain("why:      Clients key a stream's chunks by id.");
  });

  it("counts each suite and everything, naming required failures", () => {
    const lines = formatReport(sampleReports(), { color: false }).split("\n");
    expect(lines).toContain("  1 passed, 2 failed (1 required), 1 skipped · 1.54 s");
    expect(lines).toContain("  1 passed, 0 failed, 0 skipped · 4 ms");
    expect(lines.at(-2)).toBe(
      "Overall: 2 suites, 2 passed, 2 failed (1 required), 1 skipped · 1.54 s — FAILED (1 required case failed)",
    );
    expect(lines.at(-1)).toBe("");
  });

  it("passes overall when only recommended cases fail", () => {
    const text = formatReport(suiteWith(failing({ severity: "recommended" })), { color: false });
    expect(text).toContain("1 failed (0 required)");
    expect(text).toContain("— PASSED (every required case passed)");
  });

  it("sizes the id column to the longest id in the suite", () => {
    const short = { id: "a", severity: "required", rationale: "", outcome: "pass", durationMs: 5 } as const;
    const long = { ...short, id: "a-much-longer-case-id" };
    const lines = formatReport(suiteWith(short, long), { color: false }).split("\n");
    const shortRow = lines[lineIndex(lines, "PASS  a ")] ?? "";
    const longRow = lines[lineIndex(lines, "a-much-longer-case-id")] ?? "";
    expect(shortRow.indexOf("required")).toBe(longRow.indexOf("required"));
    expect(shortRow.indexOf("required")).toBe("  PASS  a-much-longer-case-id  ".length);
    expect(shortRow.length).toBe(longRow.length);
  });

  it("wraps a long value to the width and cuts it after a few lines, unless verbose", () => {
    const got = "x".repeat(2000);
    const report = suiteWith(failing({ expected: "short", got }));
    const lines = formatReport(report, { color: false, width: 80 }).split("\n");
    const gotLines = lines.slice(lineIndex(lines, "got:"), lineIndex(lines, "more lines") + 1);
    expect(gotLines).toHaveLength(8);
    for (const line of gotLines) expect(line.length).toBeLessThanOrEqual(80);
    // 2000 characters at 62 a line make 33 lines; 7 are shown.
    expect(gotLines.at(-1)).toContain("… 26 more lines (full text in JSON/JUnit)");

    const verbose = formatReport(report, { color: false, width: 80, verbose: true });
    expect(verbose.replace(/[\s]|got:/g, "")).toContain(got);
    expect(verbose).not.toContain("more lines");
  });

  it("breaks wrapped values between words", () => {
    const got =
      "the plain non-streamed reply has forty-one prompt tokens and twenty-four completion tokens but a total of sixty-six";
    const lines = formatReport(suiteWith(failing({ expected: "short", got })), { color: false, width: 60 }).split("\n");
    const gotLines = lines.slice(lineIndex(lines, "got:"), lineIndex(lines, "sixty-six") + 1);
    expect(gotLines.length).toBeGreaterThan(1);
    const words = gotLines.map((line) => line.replace(/^\s*(got:)?\s*/, "")).join(" ");
    expect(words).toBe(got);
  });

  it("shows control characters from the wire as escapes instead of sending them to the terminal", () => {
    const text = formatReport(
      suiteWith(failing({ id: "odd\rid", expected: "data: a\r\n", got: "\u001b[31mred\u001b[0m\u0000\u009b" })),
      { color: false },
    );
    expect(text).not.toContain(ESC);
    expect(text).not.toContain("\r");
    expect(text).not.toContain("\u0000");
    expect(text).not.toContain("\u009b");
    expect(text).toContain("odd\\rid");
    expect(text).toContain("expected: data: a\\r");
    expect(text).toContain("got:      \\u001b[31mred\\u001b[0m\\u0000\\u009b");
  });

  it("marks an empty value instead of printing nothing", () => {
    expect(formatReport(suiteWith(failing({ expected: "a body", got: "" })), { color: false })).toContain(
      "got:      (empty)",
    );
  });

  it("says when a suite had no cases", () => {
    expect(formatReport(suiteWith(), { color: false })).toContain("  (no cases)");
  });
});
