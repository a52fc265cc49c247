import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type DialectId, dialects } from "@chatwire/core";
import { authHeaders, chatURL } from "../dialect-wire.js";
import { type BodyChunk, type Fixture, toBodyChunk } from "../fixture.js";
import { deriveExpectation } from "./derive-expectation.js";
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

/** Headers that describe one connection, not the exchange: kept out of fixtures. */
const CONNECTION_HEADERS = new Set([
  "date",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "set-cookie",
]);
const CREDENTIAL_HEADER = /authorization|api-key|token|cookie|secret/i;

/** Sends each case to the backend and keeps the response as it arrived: pieces, timing, headers. */
export async function recordFixtures(options: RecordOptions): Promise<Fixture[]> {
  const fixtures: Fixture[] = [];
  for (const [index, testCase] of options.cases.entries()) {
    options.onProgress?.(index, options.cases.length, testCase.name);
    const fixture = await recordOne(options, testCase);
    fixtures.push(fixture);
    if (options.outDir) {
      const dir = join(options.outDir, options.dialect);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${fixture.name}.json`), `${JSON.stringify(fixture, null, 2)}\n`);
    }
  }
  options.onProgress?.(options.cases.length, options.cases.length, "");
  return fixtures;
}

async function recordOne(options: RecordOptions, testCase: RecordingCase): Promise<Fixture> {
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
  const { pieces, delays } = await readPieces(response, testCase.name);
  const contentType = response.headers.get("content-type") ?? "";
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
    },
    response: {
      status: response.status,
      headers: keptHeaders(response.headers),
      body_chunks: pieces,
      delays_ms: delays,
    },
    expect: await deriveExpectation(dialect, response.status, contentType, pieces),
  };
}

/** The body piece by piece as the socket delivered it, each with the wait before it. */
async function readPieces(response: Response, name: string): Promise<{ pieces: BodyChunk[]; delays: number[] }> {
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
    throw new Error(
      `case "${name}": the response body broke after ${pieces.length} pieces: ${(error as Error).message}`,
    );
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
