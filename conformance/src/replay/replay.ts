import { DriverFailure, speaksOnly } from "../drivers/command-driver.js";
import type { CaseMessage, Driver, ResultMessage } from "../drivers/protocol.js";
import { requestMismatchIn } from "../drivers/request-mismatch.js";
import { createTypeScriptDriver } from "../drivers/typescript-driver.js";
import type { Fixture } from "../fixture.js";
import type { CaseResult, SuiteReport } from "../results.js";
import { caseId } from "../serve/case-address.js";
import { compareOutcome, type Mismatch } from "./compare.js";

/** Where in-process replay sends requests; the SDK's injected fetch answers them, nothing leaves the process. */
export const REPLAY_BASE_URL = "https://replay.conformance.chatwire.test";
const REPLAY_API_KEY = "replay-key";
/** How long a driver has for one case unless told otherwise. */
export const DEFAULT_CASE_TIMEOUT_MS = 10_000;

export interface ReplayOptions {
  onProgress?: (done: number, total: number, id: string) => void;
}

export interface DriverReplayOptions extends ReplayOptions {
  /** Each case's base URL: the fixture server's for the fixture; the in-process address when not given. */
  baseURL?: (fixture: Fixture) => string;
  /** How long a driver has for each case (`timeout_ms`); default 10 s. */
  timeoutMs?: number;
}

/** Replays every fixture to the chatwire TypeScript SDKs in process: one suite, `typescript`. */
export function replayFixtures(fixtures: readonly Fixture[], options: ReplayOptions = {}): Promise<SuiteReport[]> {
  return replayWithDrivers(fixtures, [createTypeScriptDriver({ fixtures })], options);
}

/** The case line a driver is sent for a fixture. */
export function caseMessage(fixture: Fixture, baseURL: string, timeoutMs = DEFAULT_CASE_TIMEOUT_MS): CaseMessage {
  const optional = fixture.request.optional_for_drivers;
  return {
    type: "case",
    id: caseId(fixture),
    dialect: fixture.dialect,
    base_url: baseURL,
    api_key: REPLAY_API_KEY,
    stream: fixture.request.body.stream === true,
    request: structuredClone(fixture.request.body),
    ...(optional !== undefined && optional.length > 0 && { optional_fields: [...optional] }),
    timeout_ms: Math.round(timeoutMs),
  };
}

/**
 * Replays every fixture to every driver (each driver's cases one after another, the drivers side by
 * side) and judges each result the same way, whatever the driver's language: one suite per driver,
 * named as the driver names itself. The drivers are not closed: their owner closes them.
 */
export async function replayWithDrivers(
  fixtures: readonly Fixture[],
  drivers: readonly Driver[],
  options: DriverReplayOptions = {},
): Promise<SuiteReport[]> {
  const total = fixtures.length * drivers.length;
  let done = 0;
  options.onProgress?.(done, total, fixtures[0] ? caseId(fixtures[0]) : "");
  const suites = await Promise.all(
    drivers.map(async (driver) => {
      const results: CaseResult[] = [];
      for (const fixture of fixtures) {
        if (driver.unusable !== undefined) break;
        const baseURL = options.baseURL?.(fixture) ?? REPLAY_BASE_URL;
        results.push(await replayCase(driver, fixture, caseMessage(fixture, baseURL, options.timeoutMs)));
        done += 1;
        options.onProgress?.(done, total, caseId(fixture));
      }
      done += fixtures.length - results.length;
      const unusable = driver.unusable;
      if (unusable !== undefined)
        return { kind: "replay", target: driver.name, results: [], unusable } satisfies SuiteReport;
      return { kind: "replay", target: driver.name, results } satisfies SuiteReport;
    }),
  );
  options.onProgress?.(done, total, "");
  return suites;
}

async function replayCase(driver: Driver, fixture: Fixture, message: CaseMessage): Promise<CaseResult> {
  const started = performance.now();
  const verdict = (outcome: Pick<CaseResult, "outcome" | "expected" | "got" | "diff" | "note">): CaseResult => ({
    id: message.id,
    severity: "required",
    rationale: fixture.description,
    ...outcome,
    durationMs: performance.now() - started,
  });
  if (driver.dialects && !driver.dialects.includes(fixture.dialect)) {
    return verdict({ outcome: "skip", note: speaksOnly(driver.dialects) });
  }
  let result: ResultMessage;
  try {
    result = await driver.run(message);
  } catch (error) {
    if (error instanceof DriverFailure) return verdict({ outcome: "fail", expected: error.expected, got: error.got });
    return verdict({ outcome: "fail", expected: "the driver to answer", got: `it threw: ${(error as Error).stack}` });
  }
  if (result.skipped !== undefined) return verdict({ outcome: "skip", note: result.skipped });
  const mismatch: Mismatch | undefined = requestMismatchIn(result) ?? compareOutcome(fixture.expect, result);
  if (mismatch) return verdict({ outcome: "fail", ...mismatch });
  const unassembled = fixture.expect.completion && fixture.expect.chunks && !result.completion;
  return verdict({ outcome: "pass", ...(unassembled && { note: "chunks only: the SDK assembles no completion" }) });
}
