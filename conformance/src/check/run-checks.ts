import type { DialectId } from "@chatwire/core";
import { authHeaders, chatURL } from "../dialect-wire.js";
import type { CaseResult, SuiteReport } from "../results.js";
import { CHECKS } from "./catalogue.js";
import type { Check } from "./check.js";
import { discoverModel } from "./model-discovery.js";
import { Probes, ProbeUnavailable } from "./probes.js";
import { fail, type Verdict } from "./verdict.js";

export interface CheckOptions {
  dialect: DialectId;
  /** The backend's base URL; the dialect's chat path is appended (see dialect-wire.ts). */
  baseURL: string;
  apiKey?: string | undefined;
  /** The model to ask for; by default the first one the backend lists. */
  model?: string | undefined;
  onProgress?: ((done: number, total: number, id: string) => void) | undefined;
  fetch?: typeof fetch | undefined;
  /** Deadline for each request, answer read to the end included. Default 60 s. */
  timeoutMs?: number | undefined;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/** Runs one check; whatever goes wrong becomes its failure, never the run's. */
async function judge(check: Check, probes: Probes): Promise<Verdict> {
  try {
    return await check.run(probes);
  } catch (error) {
    if (error instanceof ProbeUnavailable) return fail(error.expected, error.got);
    return fail("the check to run to its end", `it threw: ${(error as Error).stack ?? String(error)}`);
  }
}

/**
 * Checks a live backend against the dialect's wire rules. Every check reads a few shared probes
 * (one request each, run one at a time), so the whole catalogue costs about fifteen small
 * requests. Throws only when no model was given and none can be found.
 */
export async function runChecks(options: CheckOptions): Promise<SuiteReport> {
  const { dialect, baseURL, apiKey } = options;
  const io = { fetch: options.fetch ?? globalThis.fetch, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS };
  const model = options.model ?? (await discoverModel(baseURL, authHeaders(dialect, apiKey), io));
  const probes = new Probes({ dialect, chatURL: chatURL(baseURL, dialect), apiKey, model, ...io });

  const results: CaseResult[] = [];
  for (const check of CHECKS) {
    const started = performance.now();
    const verdict = await judge(check, probes);
    results.push({
      id: check.id,
      severity: check.severity,
      rationale: check.rationale,
      ...verdict,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    });
    options.onProgress?.(results.length, CHECKS.length, check.id);
  }
  return { kind: "check", target: `${dialect} at ${baseURL}`, results };
}
