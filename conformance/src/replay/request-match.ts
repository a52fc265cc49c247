import type { Fixture } from "../fixture.js";
import { isObject } from "../json.js";

/** A request as it reached the fixture's server: method, path relative to the case's base, JSON body. */
export interface SentRequest {
  method: string;
  path: string;
  body: unknown;
}

/** One way a request differs from the recorded one. */
export interface RequestFieldDifference {
  /** `method`, `path`, or where in the body, as a JSON path: `body.messages[0].content`. */
  field: string;
  /** The recorded value. */
  expected: unknown;
  /** The value sent; absent when `missing`. */
  got?: unknown;
  /** The request lacks the field. */
  missing?: true;
}

/**
 * How `sent` differs from the request the fixture records: the method, the path, and every field
 * of the recorded body with its value (an SDK may add its own fields). The top-level fields in
 * `optional` may be absent, since some SDK methods do not take them; when present they must match.
 */
export function requestFieldDifferences(
  fixture: Fixture,
  sent: SentRequest,
  optional: readonly string[] = [],
): RequestFieldDifference[] {
  return [...routeDifferences(fixture, sent), ...bodyDifferences(fixture, sent.body, optional)];
}

/** How the method and path differ from the recorded ones: what can be told before the body is read. */
export function routeDifferences(
  fixture: Fixture,
  sent: Pick<SentRequest, "method" | "path">,
): RequestFieldDifference[] {
  const differences: RequestFieldDifference[] = [];
  if (sent.method !== fixture.request.method)
    differences.push({ field: "method", expected: fixture.request.method, got: sent.method });
  if (sent.path !== fixture.request.path)
    differences.push({ field: "path", expected: fixture.request.path, got: sent.path });
  return differences;
}

/** How `body` differs from the recorded body, the fields in `optional` allowed to be absent. */
export function bodyDifferences(
  fixture: Fixture,
  body: unknown,
  optional: readonly string[] = [],
): RequestFieldDifference[] {
  const wanted = { ...fixture.request.body };
  for (const field of optional) if (!isObject(body) || !(field in body)) delete wanted[field];
  const differences: RequestFieldDifference[] = [];
  collectDifferences(body, wanted, "body", differences);
  return differences;
}

/** `body.temperature: expected 0, got 0.7`; each value cut to `maxValueChars` when given. */
export function describeDifference(
  difference: RequestFieldDifference,
  maxValueChars = Number.POSITIVE_INFINITY,
): string {
  const shown = (value: unknown) => {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > maxValueChars ? `${text.slice(0, maxValueChars)}…` : text;
  };
  const got = difference.missing ? "nothing (the field is missing)" : shown(difference.got);
  return `${difference.field}: expected ${shown(difference.expected)}, got ${got}`;
}

/**
 * Walks `wanted` (recorded), noting where `got` differs. Objects may hold more keys than recorded;
 * arrays must have the recorded length. Leaves compare as `Object.is`, as node's strict deep
 * equality does, so replay and the fixture server judge alike.
 */
function collectDifferences(got: unknown, wanted: unknown, at: string, into: RequestFieldDifference[]): void {
  if (isObject(wanted) && isObject(got)) {
    for (const [key, value] of Object.entries(wanted)) {
      const where = `${at}${propertyAccess(key)}`;
      if (key in got) collectDifferences(got[key], value, where, into);
      else into.push({ field: where, expected: value, missing: true });
    }
    return;
  }
  if (Array.isArray(wanted) && Array.isArray(got) && wanted.length === got.length) {
    wanted.forEach((item, index) => {
      collectDifferences(got[index], item, `${at}[${index}]`, into);
    });
    return;
  }
  const bothContainers = (isObject(wanted) || Array.isArray(wanted)) && (isObject(got) || Array.isArray(got));
  if (bothContainers || !Object.is(got, wanted)) into.push({ field: at, expected: wanted, got });
}

function propertyAccess(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
