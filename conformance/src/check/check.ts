import type { Impact, Severity } from "../results.js";
import type { Probes } from "./probes.js";
import type { Verdict } from "./verdict.js";

/**
 * One rule a backend must (required) or should (recommended) follow. Checks read memoized probes,
 * never make requests of their own, and each judges one narrow concern, so that one deviation in a
 * backend trips one id.
 */
export interface Check {
  /** Stable id, `<area>.<rule>`, e.g. `framing.done-sentinel`. */
  id: string;
  severity: Severity;
  /**
   * Why the severity: required only for a rule the spec writes down (`spec`) or for data an SDK of
   * this repository loses (`data-loss`); a recommended check gives `advice`.
   */
  impact: Impact;
  /** One line: why the rule matters to a client. */
  rationale: string;
  /**
   * The evidence the check needs to give a verdict, e.g. "at least one chunk of the plain stream".
   * Without it the outcome is `no-evidence`, never a pass (see evidence.ts).
   */
  needs: string;
  run(probes: Probes): Promise<Verdict>;
}

/** A rule the spec writes down: `where` names it (a `$defs` entry and field, or a dialects.json field). */
export const specRule = (where: string): Impact => ({ kind: "spec", detail: where });

/** What an SDK of this repository loses when the rule is broken. */
export const dataLoss = (what: string): Impact => ({ kind: "data-loss", detail: what });

/** Neither: whom following the rule helps, and why no SDK here loses anything without it. */
export const advice = (why: string): Impact => ({ kind: "advice", detail: why });
