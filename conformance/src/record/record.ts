import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type DialectId, dialects } from "@chatwire/core";
import { authHeaders, chatURL } from "../dialect-wire.js";
import { type BodyChunk, chunkBytes, type Fixture, toBodyChunk } from "../fixture.js";
import { isObject } from "../json.js";
import { deriveExpectation, Underivable } from "./derive-expectation.js";
import { optionalForDrivers } from "./optional-for-drivers.js";
import type { RecordingCase } from "./recording-cases.js";

export interface RecordOptions {
  dialect: DialectId;
  baseURL: string;
  apiKey?: string | undefined;
  cases: readonly RecordingCase[];
  /** Where to write `<dialect>/<case>.json`; nothing is written without it. */
  outDir?: string;
  /** What answered, for the fixtures' `source.backend`. */
  backend?: string;
  timeoutMs?: number;
  onProgress?: (done: number, total: number, name: string) => void;
}

/** Headers that describe one connection, not the exchange, or bytes other than those kept: left out. */
const CONNECTION_HEADERS = new Set([
  "date",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "set-cookie",
  // fetch hands the body over decoded, so the encoding no longer describes the recorded bytes.
  "content-encoding",
]);
const CREDENTIAL_HEADER = /authorization|api-key|token|cookie|secret/i;

/** A case the backend answered in a way that contradicts it, and why. */
export interface RefusedCase {
  name: string;
  reason: string;
}

/**
 * Some cases were answered in a way that contradicts them: no fixture was written for those (an
 * older file of that name is left as it was); the fixtures of the other cases were.
 */
export class RecordingRefused extends Error {
  constructor(
    readonly refused: readonly RefusedCase[],
    readonly fixtures: readonly Fixture[],
    where: string | undefined,
  ) {
    const written = where ? `the other ${fixtures.length} were written into ${where}` : `${fixtures.length} recorded`;
    super(
      `refused ${refused.length} of ${refused.length + fixtures.length} cases, because the backend's answer contradicts the case (no fixture written for them; ${written}):\n${refused.map(({ name, reason }) => `  - ${name}: ${reason}`).join("\n")}`,
    );
    this.name = "RecordingRefused";
  }
}

/**
 * Sends each case to the backend and keeps the response as it arrived: pieces, timing, headers.
 * A case whose answer contradicts it (another status class than the case expects, no event stream
 * for a stream call, a stream that ends in an error where the case expects success) gets no
 * fixture; once every case is done, that is a RecordingRefused naming each of them and why.
 */
export async function recordFixtures(options: RecordOptions): Promise<Fixture[]> {
  const fixtures: Fixture[] = [];
  const refused: RefusedCase[] = [];
  const dir = options.outDir && join(options.outDir, options.dialect);
  for (const [index, testCase] of options.cases.entries()) {
    options.onProgress?.(index, options.cases.length, testCase.name);
    const recorded = await recordOne(options, testCase);
    if ("reason" in recorded) {
      refused.push({ name: testCase.name, reason: recorded.reason });
      continue;
    }
    fixtures.push(recorded);
    if (dir) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${recorded.name}.json`), `${JSON.stringify(recorded, null, 2)}\n`);
    }
  }
  options.onProgress?.(options.cases.length, options.cases.length, "");
  if (refused.length > 0) throw new RecordingRefused(refused, fixtures, dir);
  return fixtures;
}

async function recordOne(options: RecordOptions, testCase: RecordingCase): Promise<Fixture | { reason: string }> {
  const { dialect, baseURL } = options;
  const stream = testCase.body.stream === true;
  const headers = {
    "content-type": "application/json",
    accept: stream ? "text/event-stream" : "application/json",
    ...authHeaders(dialect, testCase.api_key ?? options.apiKey),
  };
  const url = chatURL(baseURL, dialect);
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers,
      body: JSON.stringify(testCase.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 120_000),
    });
  } catch (error) {
    throw new Error(`case "${testCase.name}": POST ${url} failed: ${(error as Error).message}. Is the backend up?`);
  }
  const read = await readPieces(response);
  if ("reason" in read) return read;
  const answer: Fixture["response"] = {
    status: response.status,
    headers: keptHeaders(response.headers),
    body_chunks: read.pieces,
    delays_ms: read.delays,
  };
  const statusProblem = statusContradiction(testCase, answer);
  if (statusProblem) return { reason: statusProblem };
  let expect: Fixture["expect"];
  try {
    expect = deriveExpectation(dialect, stream, answer);
  } catch (error) {
    if (error instanceof Underivable) return { reason: `${error.message}.` };
    throw error;
  }
  const outcomeProblem = outcomeContradiction(testCase, answer, expect);
  if (outcomeProblem) return { reason: outcomeProblem };
  const optional = optionalForDrivers(dialect, testCase.body);
  return {
    $schema: "../../fixture.schema.json",
    name: testCase.name,
    dialect,
    description: testCase.description,
    source: { kind: "recorded", backend: options.backend ?? baseURL, recorded_at: new Date().toISOString() },
    request: {
      method: "POST",
      path: dialects[dialect].chat_path,
      headers: redacted(headers),
      body: testCase.body,
      ...(optional && { optional_for_drivers: optional }),
    },
    response: answer,
    expect,
  };
}

function statusMatches(expected: NonNullable<RecordingCase["expect_status"]>, status: number): boolean {
  return typeof expected === "number" ? status === expected : Math.floor(status / 100) === Number(expected[0]);
}

/** What is wrong with the answer's status for this case, if anything. */
function statusContradiction(testCase: RecordingCase, answer: Fixture["response"]): string | undefined {
  const expected = testCase.expect_status ?? "2xx";
  if (statusMatches(expected, answer.status)) return undefined;
  const text = new TextDecoder().decode(Buffer.concat(answer.body_chunks.map(chunkBytes)));
  const snippet = text.replace(/\s+/g, " ").trim().slice(0, 160);
  return `the case expects ${typeof expected === "number" ? `a ${expected}` : `a ${expected}`} answer, but the backend answered ${answer.status}${snippet ? ` (${JSON.stringify(snippet)})` : " with an empty body"}.`;
}

/** What contradicts the case in a 2xx answer: stream for non-stream or the reverse, or a stream that fails. */
function outcomeContradiction(
  testCase: RecordingCase,
  answer: Fixture["response"],
  expect: Fixture["expect"],
): string | undefined {
  if (answer.status < 200 || answer.status > 299) return undefined;
  const contentType = answer.headers["content-type"] ?? "(no content-type)";
  const isEventStream = /^text\/event-stream\b/i.test(contentType);
  const streams = testCase.body.stream === true;
  if (streams && !isEventStream) {
    return `the case streams (\`stream: true\`), but the ${answer.status} answer is ${contentType}, not text/event-stream.`;
  }
  if (!streams && isEventStream) {
    return `the case does not stream, but the ${answer.status} answer is an event stream.`;
  }
  const error = expect.error;
  if (!error) return finishContradiction(testCase, expect);
  const what = error.stream_error_kind ?? error.kind;
  return `the case expects a successful answer, but the stream ends in an error (${what}${error.message_includes ? `: ${error.message_includes}` : ""}) after ${expect.chunks?.length ?? 0} chunks.`;
}

/** A case about how a reply ends, answered with choices that end otherwise. */
function finishContradiction(testCase: RecordingCase, expect: Fixture["expect"]): string | undefined {
  const wanted = testCase.expect_finish_reason;
  if (wanted === undefined) return undefined;
  const choices = Array.isArray(expect.completion?.choices) ? (expect.completion.choices as unknown[]) : [];
  const reasons = choices.map((choice) => (isObject(choice) ? choice.finish_reason : undefined));
  if (reasons.length > 0 && reasons.every((reason) => reason === wanted)) return undefined;
  return `the case is about a reply that ends with finish_reason ${JSON.stringify(wanted)}, but the answer's choices end with ${reasons.length === 0 ? "nothing (no choices)" : reasons.map((reason) => JSON.stringify(reason ?? null)).join(", ")}.`;
}

/** The body piece by piece as the socket delivered it, each with the wait before it. */
async function readPieces(response: Response): Promise<{ pieces: BodyChunk[]; delays: number[] } | { reason: string }> {
  const pieces: BodyChunk[] = [];
  const delays: number[] = [];
  if (!response.body) return { pieces, delays };
  const reader = response.body.getReader();
  // The first wait counts from the response headers, as fixture.schema.json says.
  let last = performance.now();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const now = performance.now();
      delays.push(Math.round((now - last) * 10) / 10);
      last = now;
      pieces.push(toBodyChunk(value));
    }
  } catch (error) {
    return { reason: `the response body broke after ${pieces.length} pieces: ${(error as Error).message}.` };
  }
  return { pieces, delays };
}

function keptHeaders(headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (!CONNECTION_HEADERS.has(name)) kept[name] = CREDENTIAL_HEADER.test(name) ? "[redacted]" : value;
  });
  return kept;
}

function redacted(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      CREDENTIAL_HEADER.test(name) ? value.replace(/^(\S+\s+)?.*$/, (_, scheme = "") => `${scheme}[redacted]`) : value,
    ]),
  );
}
