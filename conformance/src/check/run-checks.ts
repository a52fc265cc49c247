import type { DialectId } from "@chatwire/core";
import { authHeaders, chatURL } from "../dialect-wire.js";
import type { CaseResult, SuiteReport } from "../results.js";
import { CHECKS } from "./catalogue.js";
import type { Check } from "./check.js";
import { discoverModel } from "./model-discovery.js";
import { Probes, ProbeUnavailable } from "./probes.js";
import { unusableReason } from "./usability.js";
import { fail, NoEvidence, type Verdict } from "./verdict.js";

export interface CheckOptions {
  dialect: DialectId;
  /** The backend's base URL; the dialect's chat path is appended (see dialect-wire.ts). */
  baseURL: string;
  apiKey?: string | undefined;
  /** The model to ask for; by default the first one the backend lists. */
  model?: string | undefined;
  /** Told after each check. */
  onProgress?: ((done: number, total: number, id: string) => void) | undefined;
  /** Told when a probe's request goes out (its label) and when its answer is in (undefined). */
  onProbe?: ((label: string | undefined) => void) | undefined;
  fetch?: typeof fetch | undefined;
  /** Limit for each request, answer read to the end included. Default 30 s. */
  timeoutMs?: number | undefined;
  /** Limit for the whole run: no request is sent after it, the one in flight is cut off. Default 10 min. */
  deadlineMs?: number | undefined;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_DEADLINE_MS = 600_000;

/** Runs one check; whatever goes wrong becomes its failure (or its lack of evidence), never the run's. */
async function judge(check: Check, probes: Probes): Promise<Verdict> {
  try {
    return await check.run(probes);
  } catch (error) {
    if (error instanceof NoEvidence) return { outcome: "no-evidence", expected: error.needed, got: error.got };
    if (error instanceof ProbeUnavailable) return fail(error.expected, error.got);
    return fail("the check to run to its end", `it threw: ${(error as Error).stack ?? String(error)}`);
  }
}

/**
 * Checks a live backend against the dialect's wire rules. Every check reads a few shared probes
 * (one request each, run one at a time), so the whole catalogue costs about twenty small
 * requests. When the backend cannot be used at all (no model to ask for, or the first two probes
 * give nothing to judge) the report says why in `unusable`, with no results. Never throws for
 * anything the backend does.
 */
export async function runChecks(options: CheckOptions): Promise<SuiteReport> {
  const { dialect, baseURL, apiKey } = options;
  const target = `${dialect} at ${baseURL}`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = performance.now() + (options.deadlineMs ?? DEFAULT_DEADLINE_MS);
  const io = { fetch: options.fetch ?? globalThis.fetch, timeoutMs };
  let model = options.model;
  if (model === undefined) {
    try {
      options.onProbe?.("the model list");
      model = await discoverModel(baseURL, authHeaders(dialect, apiKey), io);
    } catch (error) {
      return { kind: "check", target, unusable: (error as Error).message, results: [] };
    } finally {
      options.onProbe?.(undefined);
    }
  }
  const probes = new Probes({
    dialect,
    chatURL: chatURL(baseURL, dialect),
    apiKey,
    model,
    ...io,
    deadline,
    onProbe: options.onProbe,
  });
  const unusable = await unusableReason(probes);
  if (unusable !== undefined) return { kind: "check", target, unusable, results: [] };

  const results: CaseResult[] = [];
  for (const check of CHECKS) {
    const started = performance.now();
    const verdict = await judge(check, probes);
    results.push({
      id: check.id,
      severity: check.severity,
      impact: check.impact,
      rationale: check.rationale,
      ...verdict,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    });
    options.onProgress?.(results.length, CHECKS.length, check.id);
  }
  return { kind: "check", target, results };
}
