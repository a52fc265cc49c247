import { describe, expect, it } from "vitest";
import type { CaseResult, SuiteReport } from "../results.js";
import { formatReport } from "./table.js";
import { lineIndex } from "./test-lines.js";

const ESC = "\u001b";

function result(id: string, overrides: Partial<CaseResult> = {}): CaseResult {
  return { id, severity: "required", rationale: `why ${id}`, outcome: "pass", durationMs: 2, ...overrides };
}

function drivers(): SuiteReport[] {
  return [
    { kind: "replay", target: "typescript", results: [result("gradient/a"), result("octoai/b")] },
    {
      kind: "replay",
      target: "python-reference",
      results: [
        result("gradient/a", {
          outcome: "fail",
          expected: "a result line for gradient/a within 500 ms",
          got: "no result within 500 ms",
        }),
        result("octoai/b", { outcome: "skip", note: "the driver speaks only gradient (its hello says so)" }),
      ],
    },
    { kind: "replay", target: "broken", results: [], unusable: "the driver `nope` exited with code 127" },
  ];
}

describe("the replay matrix", () => {
  it("gives one row per fixture and one mark per driver", () => {
    const lines = formatReport(drivers(), { color: false }).split("\n");
    expect(lines[0]).toBe("replay  3 drivers, 2 fixtures");
    expect(lines.slice(1, 4)).toEqual([
      "  fixture     typescript  python-reference  broken",
      "  gradient/a  PASS        FAIL              ·",
      "  octoai/b    PASS        SKIP              ·",
    ]);
  });

  it("counts each driver, then gives the reason of every failure, the unusable drivers and the skips", () => {
    const lines = formatReport(drivers(), { color: false }).split("\n");
    expect(lines).toContain("  typescript        2 passed, 0 failed, 0 skipped · 4 ms");
    expect(lines).toContain("  python-reference  0 passed, 1 failed (1 required), 1 skipped · 4 ms");
    expect(lines).toContain("  broken            unusable (see below)");
    expect(lines).toContain("    unusable: the driver `nope` exited with code 127");
    const failure = lineIndex(lines, "FAIL  gradient/a  with python-reference");
    expect(lines.slice(failure + 1, failure + 4)).toEqual([
      "        why:      why gradient/a",
      "        expected: a result line for gradient/a within 500 ms",
      "        got:      no result within 500 ms",
    ]);
    expect(lines).toContain("  python-reference  1 fixture: the driver speaks only gradient (its hello says so)");
    expect(lines.at(-2)).toMatch(/^Overall: 3 suites, 2 passed, 1 failed \(1 required\), 1 skipped .* FAILED/);
  });

  it("numbers the columns, with a legend, when the drivers' names do not fit the width", () => {
    const reports = drivers().map((suite) => ({ ...suite, target: `${suite.target} ${"x".repeat(40)}` }));
    const lines = formatReport(reports, { color: false, width: 80 }).split("\n");
    expect(lines.slice(1, 5)).toEqual([
      `  1: typescript ${"x".repeat(40)}`,
      `  2: python-reference ${"x".repeat(40)}`,
      `  3: broken ${"x".repeat(40)}`,
      "  fixture     1     2     3",
    ]);
    expect(lines[5]).toBe("  gradient/a  PASS  FAIL  ·");
  });

  it("marks cells with coloured symbols on a terminal", () => {
    const text = formatReport(drivers(), { color: true });
    expect(text).toContain(`${ESC}[32m✓${ESC}[39m`);
    expect(text).toContain(`${ESC}[31m✗${ESC}[39m`);
    expect(text).toContain(`${ESC}[33m–${ESC}[39m`);
  });

  it("keeps check suites as tables beside it, and one replay suite as a table", () => {
    const check: SuiteReport = { kind: "check", target: "gradient at http://x", results: [result("framing.sse")] };
    const text = formatReport([check, ...drivers()], { color: false });
    expect(text).toMatch(/^check {2}gradient at http:\/\/x\n {2}PASS {2}framing\.sse/);
    expect(text).toContain("replay  3 drivers, 2 fixtures");
    const single = formatReport(drivers().slice(0, 1), { color: false });
    expect(single).toMatch(/^replay {2}typescript\n {2}PASS {2}gradient\/a/);
  });

  it("shows control characters in driver names and ids as escapes", () => {
    const reports = drivers();
    (reports[1] as SuiteReport).target = "evil\u001b[2J";
    const text = formatReport(reports, { color: false });
    expect(text).not.toContain(ESC);
    expect(text).toContain("evil\\u001b[2J");
  });
});
