import { parseJsonOrText } from "@chatwire/core/internal";
import { http } from "msw";
import { setupServer } from "msw/node";
import type { Fixture } from "../fixture.js";
import type { CaseResult, SuiteReport } from "../results.js";
import { compareOutcome, deepDiff, type Mismatch, projectOnto } from "./compare.js";
import { fixtureResponse } from "./fixture-response.js";
import { driveSDK, SDK_PACKAGES } from "./sdk-drivers.js";

/** Where replayed requests go; msw answers them, nothing leaves the process. */
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
  const server = setupServer();
  // Only the replay host is ours; anything else (a live backend checked in the same run) passes through.
  server.listen({ onUnhandledRequest: "bypass" });
  const suites = new Map<string, SuiteReport>();
  try {
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
      suite.results.push(await replayOne(server, fixture));
      done += 1;
    }
    options.onProgress?.(done, fixtures.length, "");
  } finally {
    server.close();
  }
  return [...suites.values()];
}

async function replayOne(server: ReturnType<typeof setupServer>, fixture: Fixture): Promise<CaseResult> {
  const started = performance.now();
  const sent: unknown[] = [];
  server.resetHandlers(
    http.all(`${REPLAY_BASE_URL}/*`, async ({ request }) => {
      const text = await request.text();
      sent.push({ method: request.method, path: new URL(request.url).pathname, body: parseJsonOrText(text) });
      return fixtureResponse(fixture, request.signal);
    }),
  );
  let mismatch: Mismatch | undefined;
  try {
    const outcome = await driveSDK(fixture, { baseURL: REPLAY_BASE_URL, apiKey: REPLAY_API_KEY });
    mismatch = requestMismatch(fixture, sent) ?? compareOutcome(fixture.expect, outcome);
  } catch (error) {
    mismatch = { expected: "the SDK call to finish", got: `the replay itself failed: ${(error as Error).stack}` };
  } finally {
    server.resetHandlers();
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
function requestMismatch(fixture: Fixture, sent: readonly unknown[]): Mismatch | undefined {
  const wanted = { method: fixture.request.method, path: fixture.request.path, body: fixture.request.body };
  if (sent.length !== 1) return { expected: "one request (retries are off)", got: `${sent.length} requests` };
  const diff = deepDiff(projectOnto(sent[0], wanted), wanted);
  return diff ? { expected: "the request the fixture records", got: "a different request", diff } : undefined;
}
