import { parseJsonOrText } from "@chatwire/core/internal";
import type { Fixture } from "../fixture.js";
import type { CaseResult, SuiteReport } from "../results.js";
import { compareOutcome, type Mismatch } from "./compare.js";
import { fixtureResponse } from "./fixture-response.js";
import { requestDifference, type SentRequest } from "./request-match.js";
import { driveSDK, SDK_PACKAGES } from "./sdk-drivers.js";

/** Where replayed requests go; the SDK's injected fetch answers them, nothing leaves the process. */
export const REPLAY_BASE_URL = "https://replay.conformance.chatwire.test";
const REPLAY_API_KEY = "replay-key";

export interface ReplayOptions {
  onProgress?: (done: number, total: number, id: string) => void;
}

/** Replays each fixture to its dialect's SDK and reports one suite per SDK package. */
export async function replayFixtures(
  fixtures: readonly Fixture[],
  options: ReplayOptions = {},
): Promise<SuiteReport[]> {
  const suites = new Map<string, SuiteReport>();
  let done = 0;
  for (const fixture of fixtures) {
    const id = `${fixture.dialect}/${fixture.name}`;
    options.onProgress?.(done, fixtures.length, id);
    const target = SDK_PACKAGES[fixture.dialect];
    let suite = suites.get(target);
    if (!suite) {
      suite = { kind: "replay", target, results: [] };
      suites.set(target, suite);
    }
    suite.results.push(await replayOne(fixture));
    done += 1;
  }
  options.onProgress?.(done, fixtures.length, "");
  return [...suites.values()];
}

async function replayOne(fixture: Fixture): Promise<CaseResult> {
  const started = performance.now();
  const sent: SentRequest[] = [];
  // The SDKs take a fetch of their own: the fixture answers through it, as a server would, without
  // patching the global fetch (and without an HTTP-mocking library in the install).
  const replayFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    request.signal.throwIfAborted();
    const text = await request.text();
    sent.push({ method: request.method, path: new URL(request.url).pathname, body: parseJsonOrText(text) });
    return fixtureResponse(fixture, request.signal);
  };
  let mismatch: Mismatch | undefined;
  try {
    const outcome = await driveSDK(fixture, { baseURL: REPLAY_BASE_URL, apiKey: REPLAY_API_KEY, fetch: replayFetch });
    mismatch = requestMismatch(fixture, sent) ?? compareOutcome(fixture.expect, outcome);
  } catch (error) {
    mismatch = { expected: "the SDK call to finish", got: `the replay itself failed: ${(error as Error).stack}` };
  }
  return {
    id: `${fixture.dialect}/${fixture.name}`,
    severity: "required",
    rationale: fixture.description,
    outcome: mismatch ? "fail" : "pass",
    ...mismatch,
    durationMs: performance.now() - started,
  };
}

/** The SDK must send exactly one request, to the fixture's path, with every field of the fixture's body. */
function requestMismatch(fixture: Fixture, sent: readonly SentRequest[]): Mismatch | undefined {
  if (sent.length !== 1) return { expected: "one request (retries are off)", got: `${sent.length} requests` };
  return requestDifference(fixture, sent[0] as SentRequest);
}
