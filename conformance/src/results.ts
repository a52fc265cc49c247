/** What a check or a replayed fixture came to. Both the live checks and replay report in this shape. */
export type Severity = "required" | "recommended";
/**
 * `no-evidence`: the case applies, but what it needs to judge never came (the stream had no chunks, the
 * answer was a web page, the request timed out). It is no verdict either way, and a required case
 * without evidence fails the run like a failure does.
 */
export type Outcome = "pass" | "fail" | "skip" | "no-evidence";

/**
 * Why a case has its severity. A case is required only when what it catches breaks a rule written in
 * the spec (`spec`) or makes an SDK of this repository lose data (`data-loss`); otherwise it is
 * recommended, and `advice` says whom it helps.
 */
export interface Impact {
  kind: "spec" | "data-loss" | "advice";
  /** The rule and where it is written, the data lost, or the advice. */
  detail: string;
}

export interface CaseResult {
  /** A stable id: a check id such as `framing.done-last`, or `<dialect>/<fixture name>` for replay. */
  id: string;
  severity: Severity;
  /** One line: why the rule matters. */
  rationale: string;
  outcome: Outcome;
  /** Why the severity (live checks only). */
  impact?: Impact;
  /**
   * On failure: what the rule wanted, and what came back instead. Without evidence: the evidence the
   * case needs, and what there was instead.
   */
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
  /**
   * Set when the target could not be used at all (unreachable, every first probe refused, not JSON, or
   * hanging): then the run stopped after the first probes and `results` is empty.
   */
  unusable?: string;
}

/** Whether a case keeps the run from passing: a required one that failed or had no evidence. */
export function failsRun(result: CaseResult): boolean {
  return result.severity === "required" && (result.outcome === "fail" || result.outcome === "no-evidence");
}

/** True when every target was usable and no required case failed or lacked evidence. */
export function requiredPassed(reports: readonly SuiteReport[]): boolean {
  return reports.every((report) => report.unusable === undefined && !report.results.some(failsRun));
}

/** Exit codes: 0 passed, 1 reachable but not conforming, 2 usage errors (the CLI's), 3 a target unusable. */
export function exitCode(reports: readonly SuiteReport[]): 0 | 1 | 3 {
  if (reports.some((report) => report.unusable !== undefined)) return 3;
  return requiredPassed(reports) ? 0 : 1;
}
