import type { Fixture } from "../fixture.js";
import { deepDiff, type Mismatch, projectOnto } from "./compare.js";

/** A request as it reached the fixture's server: method, path relative to the case's base, JSON body. */
export interface SentRequest {
  method: string;
  path: string;
  body: unknown;
}

/**
 * What in `sent` differs from the request the fixture records: the method, the path, and every
 * field of the recorded body with its value (an SDK may add its own fields). The top-level fields in
 * `optional` may be absent, since some SDK methods do not take them; when present they must match.
 */
export function requestDifference(
  fixture: Fixture,
  sent: SentRequest,
  optional: readonly string[] = [],
): Mismatch | undefined {
  const body = { ...fixture.request.body };
  const sentBody = sent.body;
  for (const field of optional) {
    if (typeof sentBody !== "object" || sentBody === null || !(field in sentBody)) delete body[field];
  }
  const wanted = { method: fixture.request.method, path: fixture.request.path, body };
  const diff = deepDiff(projectOnto(sent, wanted), wanted);
  return diff ? { expected: "the request the fixture records", got: "a different request", diff } : undefined;
}
