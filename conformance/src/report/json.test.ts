import { describe, expect, it } from "vitest";
import type { SuiteReport } from "../results.js";
import { toJSON } from "./json.js";
import { formatReport } from "./table.js";
import { sampleReports } from "./test-reports.js";

describe("toJSON", () => {
  it("round-trips the suites unchanged, so parsed reports can be formatted again", () => {
    const reports = sampleReports();
    const parsed = JSON.parse(toJSON(reports)) as { suites: SuiteReport[] };
    expect(parsed.suites).toEqual(reports);
    expect(formatReport(parsed.suites, { color: false })).toBe(formatReport(reports, { color: false }));
  });

  it("totals every outcome across suites", () => {
    expect(JSON.parse(toJSON(sampleReports())).totals).toEqual({
      pass: 2,
      fail: 2,
      skip: 1,
      no_evidence: 0,
      unusable: 0,
    });
  });

  it("fails only on a required failure", () => {
    const reports = sampleReports();
    expect(JSON.parse(toJSON(reports)).passed).toBe(false);
    const withoutRequiredFailure = reports.map((report) => ({
      ...report,
      results: report.results.filter((result) => !(result.outcome === "fail" && result.severity === "required")),
    }));
    const parsed = JSON.parse(toJSON(withoutRequiredFailure));
    expect(parsed.passed).toBe(true);
    expect(parsed.totals.fail).toBe(1);
    expect(JSON.parse(toJSON([])).passed).toBe(true);
  });

  it("writes the same text whatever order the keys were built in", () => {
    const ordered: SuiteReport = {
      kind: "check",
      target: "t",
      results: [
        { id: "a", severity: "required", rationale: "r", outcome: "fail", expected: "e", got: "g", durationMs: 1 },
      ],
    };
    const shuffled = {
      results: [
        { durationMs: 1, got: "g", outcome: "fail", expected: "e", rationale: "r", severity: "required", id: "a" },
      ],
      target: "t",
      kind: "check",
    } as SuiteReport;
    expect(toJSON([shuffled])).toBe(toJSON([ordered]));
    expect(Object.keys(JSON.parse(toJSON([ordered])))).toEqual(["passed", "suites", "totals"]);
  });

  it("is indented, and leaves out optional fields that were not set", () => {
    const text = toJSON(sampleReports());
    expect(text).toContain('\n  "suites": [\n');
    const [suite] = JSON.parse(text).suites;
    expect(Object.keys(suite.results[0])).toEqual(["id", "severity", "rationale", "outcome", "note", "durationMs"]);
    const withUndefined = { ...suite.results[0], expected: undefined };
    expect(toJSON([{ ...suite, results: [withUndefined] }])).not.toContain("expected");
  });
});
