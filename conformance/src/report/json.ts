import { type CaseResult, requiredPassed, type SuiteReport } from "../results.js";
import { countOutcomes } from "./totals.js";

/**
 * Pretty JSON with a fixed key order, whatever order the results were built in, so that two runs diff cleanly.
 * `suites` keeps the SuiteReport shape exactly: parsing it back gives reports the other formatters accept.
 */
export function toJSON(reports: readonly SuiteReport[]): string {
  const totals = countOutcomes(reports);
  const document = {
    passed: requiredPassed(reports),
    suites: reports.map((report) => ({
      kind: report.kind,
      target: report.target,
      ...(report.unusable !== undefined && { unusable: report.unusable }),
      results: report.results.map(orderCaseKeys),
    })),
    totals: {
      pass: totals.pass,
      fail: totals.fail,
      skip: totals.skip,
      no_evidence: totals.noEvidence,
      unusable: totals.unusable,
    },
  };
  // No trailing newline: like JSON.stringify, the caller decides how the text ends.
  return JSON.stringify(document, null, 2);
}

function orderCaseKeys(result: CaseResult): CaseResult {
  // Optional keys are left out rather than written as null, matching the CaseResult type.
  return {
    id: result.id,
    severity: result.severity,
    rationale: result.rationale,
    outcome: result.outcome,
    ...(result.impact !== undefined && { impact: { kind: result.impact.kind, detail: result.impact.detail } }),
    ...(result.expected !== undefined && { expected: result.expected }),
    ...(result.got !== undefined && { got: result.got }),
    ...(result.diff !== undefined && { diff: result.diff }),
    ...(result.note !== undefined && { note: result.note }),
    durationMs: result.durationMs,
  };
}
