import { failsRun, type SuiteReport } from "../results.js";

export interface Totals {
  pass: number;
  fail: number;
  skip: number;
  /** Cases that applied but had nothing to judge: no verdict either way. */
  noEvidence: number;
  /** Required cases that failed, and those without evidence: together they decide the exit code. */
  requiredFail: number;
  requiredNoEvidence: number;
  /** Targets that could not be used at all. */
  unusable: number;
  durationMs: number;
}

const counters = { pass: "pass", fail: "fail", skip: "skip", "no-evidence": "noEvidence" } as const;

export function countOutcomes(reports: readonly SuiteReport[]): Totals {
  const totals: Totals = {
    pass: 0,
    fail: 0,
    skip: 0,
    noEvidence: 0,
    requiredFail: 0,
    requiredNoEvidence: 0,
    unusable: 0,
    durationMs: 0,
  };
  for (const report of reports) {
    if (report.unusable !== undefined) totals.unusable++;
    for (const result of report.results) {
      totals[counters[result.outcome]]++;
      if (failsRun(result)) totals[result.outcome === "fail" ? "requiredFail" : "requiredNoEvidence"]++;
      if (Number.isFinite(result.durationMs)) totals.durationMs += result.durationMs;
    }
  }
  return totals;
}
