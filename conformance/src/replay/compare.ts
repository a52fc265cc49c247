import { deepStrictEqual } from "node:assert/strict";
import type { ProtocolError, ResultMessage } from "../drivers/protocol.js";
import type { FixtureExpectation } from "../fixture.js";
import { isObject } from "../json.js";

export interface Mismatch {
  expected: string;
  got: string;
  diff?: string;
}

/** What an SDK made of a case, as any driver reports it: a result line without its envelope. */
export type SDKOutcome = Pick<ResultMessage, "chunks" | "completion" | "error">;

/**
 * What in `outcome` breaks `expect`, or undefined when the SDK did what the fixture says. Chunks
 * must match exactly and in order; a completion must contain every expected field (an SDK may add
 * its own), and a stream's assembled completion is judged only when the SDK gives one; an error must be of the kind (and stream error kind), status and message given, and, as
 * the TypeScript detail, of the class given or a subclass of it, judged only for a driver that
 * reports its error's `classes` (other languages have other class names).
 */
export function compareOutcome(expect: FixtureExpectation, outcome: SDKOutcome): Mismatch | undefined {
  if (expect.chunks) {
    const diff = deepDiff(outcome.chunks ?? [], expect.chunks);
    if (diff) {
      return {
        expected: `${expect.chunks.length} chunks, as recorded`,
        got: `${outcome.chunks?.length ?? 0} chunks${outcome.error ? `, then ${describeGot(outcome.error)}` : ""}`,
        diff,
      };
    }
  }
  if (expect.error) return compareError(expect.error, outcome);
  if (outcome.error) {
    return { expected: "no error", got: describeGot(outcome.error) };
  }
  if (expect.completion) {
    // An SDK need not add a stream up (Python SDKs hand out chunks only): its chunks were judged.
    if (!outcome.completion && expect.chunks && outcome.chunks) return undefined;
    if (!outcome.completion) return { expected: "a completion", got: "none" };
    const diff = deepDiff(projectOnto(outcome.completion, expect.completion), expect.completion);
    if (diff) return { expected: "the completion the fixture gives", got: "a different completion", diff };
  }
  return undefined;
}

function compareError(want: NonNullable<FixtureExpectation["error"]>, outcome: SDKOutcome): Mismatch | undefined {
  const wanted = describeWanted(want);
  const error = outcome.error;
  if (!error) {
    return {
      expected: wanted,
      got: `no error (${outcome.chunks ? `${outcome.chunks.length} chunks` : "a completion"})`,
    };
  }
  const got = describeGot(error);
  if (error.kind !== want.kind) return { expected: wanted, got };
  if (want.stream_error_kind !== undefined && error.stream_error_kind !== want.stream_error_kind)
    return { expected: wanted, got };
  if (want.status !== undefined && error.status !== want.status) return { expected: wanted, got };
  if (want.message_includes !== undefined && !error.message.includes(want.message_includes))
    return { expected: wanted, got };
  if (want.retry_after_ms !== undefined && error.retry_after_ms !== want.retry_after_ms) {
    return {
      expected: `a retry-after of ${want.retry_after_ms} ms read from the headers`,
      got: error.retry_after_ms === undefined ? "none" : `${error.retry_after_ms} ms`,
    };
  }
  const tsClass = want.typescript?.class;
  if (
    tsClass !== undefined &&
    error.classes !== undefined &&
    error.class !== tsClass &&
    !error.classes.includes(tsClass)
  ) {
    return { expected: `a ${tsClass} (the TypeScript detail of ${wanted})`, got };
  }
  return undefined;
}

function describeWanted(want: NonNullable<FixtureExpectation["error"]>): string {
  const kind = want.stream_error_kind ? `${want.kind} (${want.stream_error_kind})` : want.kind;
  const status = want.status === undefined ? "" : `, status ${want.status}`;
  const message =
    want.message_includes === undefined ? "" : ` with a message containing ${JSON.stringify(want.message_includes)}`;
  return `an error of kind ${kind}${status}${message}`;
}

function describeGot(error: ProtocolError): string {
  const kind = error.stream_error_kind ? `${error.kind} (${error.stream_error_kind})` : (error.kind ?? "no known kind");
  const status = error.status === undefined ? "" : `, status ${error.status}`;
  return `${error.class ?? "an error"} (kind ${kind}${status}): ${error.message}`;
}

/** `actual` cut down to the fields `shape` names, so extra fields do not count as differences. */
export function projectOnto(actual: unknown, shape: unknown): unknown {
  if (Array.isArray(shape) && Array.isArray(actual)) {
    return actual.map((item, index) => (index < shape.length ? projectOnto(item, shape[index]) : item));
  }
  if (isObject(shape) && isObject(actual)) {
    const projected: Record<string, unknown> = {};
    for (const key of Object.keys(shape)) if (key in actual) projected[key] = projectOnto(actual[key], shape[key]);
    return projected;
  }
  return actual;
}

/** Node's strict deep-equality diff (`+ actual - expected`), or undefined when they are equal. */
function deepDiff(actual: unknown, expected: unknown): string | undefined {
  try {
    deepStrictEqual(actual, expected);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
