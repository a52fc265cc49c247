import type { SuiteReport } from "../results.js";

export interface Totals {
  pass: number;
  fail: number;
  skip: number;
  /** Failures of required cases: the ones that decide the exit code. */
  requiredFail: number;
  durationMs: number;
}

export function countOutcomes(reports: readonly SuiteReport[]): Totals {
  const totals: Totals = { pass: 0, fail: 0, skip: 0, requiredFail: 0, durationMs: 0 };
  for (const report of reports) {
    for (const result of report.results) {
      totals[result.outcome]++;
      if (result.outcome === "fail" && result.severity === "required") totals.requiredFail++;
      if (Number.isFinite(result.durationMs)) totals.durationMs += result.durationMs;
    }
  }
  return totals;
}
