/**
 * What any SDK must make of a recorded response, derived from its bytes by a path that shares no
 * code with the SDKs under test: events come from eventsource-parser (not core's SSE parser),
 * completions from expected-completion.ts (not core's accumulator), and error messages are the
 * backend's own words (never core's phrasing).
 */
import { type DialectId, dialects } from "@chatwire/core";
import { createParser, type EventSourceMessage } from "eventsource-parser";
import {
  chunkBytes,
  type ErrorKind,
  type ExpectedError,
  errorKindForStatus,
  type Fixture,
  type FixtureExpectation,
  type StreamErrorKind,
  TYPESCRIPT_ERROR_CLASS,
} from "../fixture.js";
import { isObject, type JsonObject } from "../json.js";
import { expectedCompletion, NotAssemblable } from "./expected-completion.js";

/** A response no expectation can be derived from (a reply that is not JSON where JSON was due). */
export class Underivable extends Error {}

/** The longest message substring a fixture expects: enough to recognise, short of any SDK's cut. */
const MAX_MESSAGE_CHARS = 120;
/** The SDKs honour a server's retry-after up to a minute; beyond that they back off on their own. */
const MAX_RETRY_AFTER_MS = 60_000;

/** What an SDK must produce for `response`, the answer to a stream call when `stream` is true. */
export function deriveExpectation(
  dialect: DialectId,
  stream: boolean,
  response: Fixture["response"],
): FixtureExpectation {
  const bytes = Buffer.concat(response.body_chunks.map(chunkBytes));
  const reset = response.ends === "reset";
  if (response.status < 200 || response.status > 299) {
    if (reset) return { error: expectedError("connection") };
    const text = new TextDecoder().decode(bytes);
    const contentType = response.headers["content-type"] ?? "";
    return {
      error: expectedError(errorKindForStatus(response.status), {
        status: response.status,
        message: wordsOfBody(text, contentType),
        retryAfterMs: retryAfter(response.headers),
      }),
    };
  }
  if (!stream) {
    if (reset) return { error: expectedError("connection") };
    const body = parseJson(new TextDecoder().decode(bytes));
    if (!isObject(body)) throw new Underivable("the reply to a call without `stream` is not a JSON object");
    return { completion: body };
  }
  if (!/^text\/event-stream\b/i.test(response.headers["content-type"] ?? "")) {
    return { error: streamError("not-event-stream") };
  }
  return streamExpectation(dialect, bytes, reset);
}

function streamExpectation(dialect: DialectId, bytes: Uint8Array, reset: boolean): FixtureExpectation {
  const sentinel = dialects[dialect].stream.done_sentinel;
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => events.push(event) });
  // A whole body at once: the parser's own line splitting is under test elsewhere; a trailing event
  // without its blank line is never dispatched, as the EventSource spec says for a body that ends.
  parser.feed(new TextDecoder().decode(bytes));

  const chunks: JsonObject[] = [];
  let done = false;
  for (const event of events) {
    if (sentinel !== null && event.data === sentinel) {
      done = true;
      break;
    }
    if (event.event === "error") {
      return { chunks, error: streamError("error-event", wordsOfData(event.data)) };
    }
    if (event.data === "") continue;
    const value = parseJson(event.data);
    if (value === NOT_JSON) return { chunks, error: streamError("invalid-json") };
    if (isObject(value) && "error" in value) {
      return { chunks, error: streamError("error-event", wordsOfData(event.data)) };
    }
    chunks.push(value as JsonObject);
  }
  if (!done && reset) return { chunks, error: expectedError("connection") };
  if (!done && sentinel !== null) return { chunks, error: streamError("truncated") };
  try {
    return { chunks, completion: expectedCompletion(chunks) };
  } catch (error) {
    if (error instanceof NotAssemblable) return { chunks, error: streamError("unassemblable") };
    throw error;
  }
}

function expectedError(
  kind: ErrorKind,
  details: { status?: number; message?: string | undefined; retryAfterMs?: number | undefined } = {},
  streamErrorKind?: StreamErrorKind,
): ExpectedError {
  return {
    kind,
    ...(streamErrorKind !== undefined && { stream_error_kind: streamErrorKind }),
    ...(details.status !== undefined && { status: details.status }),
    ...(details.message && { message_includes: details.message }),
    ...(details.retryAfterMs !== undefined && { retry_after_ms: details.retryAfterMs }),
    typescript: { class: TYPESCRIPT_ERROR_CLASS[kind] },
  };
}

function streamError(kind: StreamErrorKind, message?: string): ExpectedError {
  return expectedError("stream_error", { message }, kind);
}

const NOT_JSON = Symbol("not JSON");

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

/**
 * The backend's own words in an error body, in the shapes the dialects' error bodies have
 * (spec `ErrorBody` `{"error": {"message"}}`, Prediction Guard's `{"error": "..."}`, and the
 * top-level `message` or `detail` of OctoAI's and FastAPI's): undefined when it has none.
 */
function wordsOfJson(body: unknown): string | undefined {
  if (!isObject(body)) return undefined;
  const error = body.error;
  const candidates = [error, isObject(error) ? error.message : undefined, body.message, body.detail];
  return candidates.find((value): value is string => typeof value === "string" && value.trim() !== "");
}

/** The backend's words in an error response: from its JSON, the title of an HTML page, or its first line of text. */
function wordsOfBody(text: string, contentType: string): string | undefined {
  const json = parseJson(text);
  if (json !== NOT_JSON) return clip(wordsOfJson(json));
  // Text is quoted with its whitespace runs as one space, so only then are they collapsed here.
  const words =
    /html/i.test(contentType) || /^\s*</.test(text)
      ? (/<title>([^<]*)<\/title>/i.exec(text)?.[1] ?? /<h1>([^<]*)<\/h1>/i.exec(text)?.[1])
      : text.split(/\r\n|\r|\n/).find((line) => line.trim() !== "");
  return clip(words?.replace(/\s+/g, " "));
}

/** The words in an error event's data: its JSON's message, or the text itself. */
function wordsOfData(data: string): string | undefined {
  const json = parseJson(data);
  return clip(json === NOT_JSON ? data : wordsOfJson(json));
}

/** Trimmed and cut short: enough of the backend's words to recognise them in a message. */
function clip(words: string | undefined): string | undefined {
  const text = words?.trim();
  if (!text) return undefined;
  return text.length > MAX_MESSAGE_CHARS ? text.slice(0, MAX_MESSAGE_CHARS) : text;
}

/** The wait `retry-after-ms` or `retry-after` (seconds) asks for, when an SDK must honour it. */
function retryAfter(headers: Record<string, string>): number | undefined {
  const ms = headers["retry-after-ms"] === undefined ? Number.NaN : Number(headers["retry-after-ms"]);
  const seconds = headers["retry-after"] === undefined ? Number.NaN : Number(headers["retry-after"]) * 1000;
  return [ms, seconds].find((value) => Number.isFinite(value) && value >= 0 && value <= MAX_RETRY_AFTER_MS);
}
