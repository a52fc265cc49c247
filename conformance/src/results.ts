/** What a check or a replayed fixture came to. Both the live checks and replay report in this shape. */
export type Severity = "required" | "recommended";
export type Outcome = "pass" | "fail" | "skip";

export interface CaseResult {
  /** A stable id: a check id such as `framing.done-last`, or `<dialect>/<fixture name>` for replay. */
  id: string;
  severity: Severity;
  /** One line: why the rule matters. */
  rationale: string;
  outcome: Outcome;
  /** On failure: what the rule wanted, and what came back instead. */
  expected?: string;
  got?: string;
  /** A readable diff, when one explains the failure better than expected/got. */
  diff?: string;
  /** Why a skipped case was skipped, or a remark on a passing one. */
  note?: string;
  durationMs: number;
}

export interface SuiteReport {
  kind: "check" | "replay";
  /** What was tested, e.g. `gradient at http://127.0.0.1:8080/gradient` or `@chatwire/octoai`. */
  target: string;
  results: CaseResult[];
}

/** True when no required case failed: what decides the exit code. */
export function requiredPassed(reports: readonly SuiteReport[]): boolean {
  return reports.every((report) =>
    report.results.every((result) => result.outcome !== "fail" || result.severity !== "required"),
  );
}
