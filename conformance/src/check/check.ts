import type { Severity } from "../results.js";
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
  /** One line: why the rule matters to a client. */
  rationale: string;
  run(probes: Probes): Promise<Verdict>;
}
