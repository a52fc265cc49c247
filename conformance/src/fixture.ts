import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DialectId, StreamErrorKind } from "@chatwire/core";
import { Ajv2020 } from "ajv/dist/2020.js";

/** A piece of a response body: whole UTF-8 text, or raw bytes when the piece cuts a character. */
export type BodyChunk = string | { base64: string };

export interface Fixture {
  $schema?: string;
  name: string;
  dialect: DialectId;
  description: string;
  source?: { kind: "recorded" | "hand-written"; backend?: string; recorded_at?: string };
  request: {
    method: "POST";
    path: string;
    headers: Record<string, string>;
    body: Record<string, unknown>;
    /** Top-level body fields an SDK's method may lack, so a driver may leave them out (fixture.schema.json). */
    optional_for_drivers?: string[];
  };
  response: {
    status: number;
    headers: Record<string, string>;
    body_chunks: BodyChunk[];
    delays_ms?: number[];
    ends?: "close" | "reset";
  };
  expect: FixtureExpectation;
}

export interface FixtureExpectation {
  chunks?: Record<string, unknown>[];
  completion?: Record<string, unknown>;
  error?: ExpectedError;
}

/** What failed, in words any language's SDK can map its own errors to (the README's kind table). */
export type ErrorKind =
  | "bad_request"
  | "authentication"
  | "permission"
  | "not_found"
  | "conflict"
  | "unprocessable"
  | "rate_limit"
  | "server"
  | "other_status"
  | "connection"
  | "timeout"
  | "stream_error";

/** What was wrong with a stream: core's `StreamError.kind`, the one list of them. */
export type { StreamErrorKind };

export interface ExpectedError {
  kind: ErrorKind;
  /** With `kind: "stream_error"` only. */
  stream_error_kind?: StreamErrorKind;
  status?: number;
  /** The backend's own words; absent where it said none. */
  message_includes?: string;
  retry_after_ms?: number;
  /** TypeScript-only: the class the chatwire SDKs throw for it. */
  typescript?: { class: string };
}

/** error-kinds.json: the status table every driver maps HTTP errors by, in any language. */
const errorKinds = createRequire(import.meta.url)("../error-kinds.json") as {
  by_status: Record<string, ErrorKind>;
  other_server_error: ErrorKind;
  other_status: ErrorKind;
};

/** The kind of a non-2xx answer, from its status alone. */
export function errorKindForStatus(status: number): ErrorKind {
  return (
    errorKinds.by_status[String(status)] ?? (status >= 500 ? errorKinds.other_server_error : errorKinds.other_status)
  );
}

/** The class the chatwire SDKs (and the OpenAI ones) throw for each kind: the `typescript` detail. */
export const TYPESCRIPT_ERROR_CLASS: Record<ErrorKind, string> = {
  bad_request: "BadRequestError",
  authentication: "AuthenticationError",
  permission: "PermissionDeniedError",
  not_found: "NotFoundError",
  conflict: "ConflictError",
  unprocessable: "UnprocessableEntityError",
  rate_limit: "RateLimitError",
  server: "InternalServerError",
  other_status: "APIError",
  connection: "APIConnectionError",
  timeout: "APITimeoutError",
  stream_error: "StreamError",
};

/** The package's own directory, from source and from dist alike. */
export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");
export const FIXTURES_DIR = join(PACKAGE_DIR, "fixtures");

const fixtureSchema = createRequire(import.meta.url)("../fixture.schema.json") as object;
let validateSchema: ReturnType<Ajv2020["compile"]> | undefined;

/** Problems that make `value` not a fixture, one line each; empty when it is one. */
export function fixtureProblems(value: unknown): string[] {
  validateSchema ??= new Ajv2020({ allErrors: true, strict: true }).compile(fixtureSchema);
  if (validateSchema(value)) return consistencyProblems(value as Fixture);
  return (validateSchema.errors ?? []).map(
    (error) => `${error.instancePath || "/"} ${error.message ?? "is invalid"}${paramsOf(error.params)}`,
  );
}

/** What the schema cannot say: parts of a fixture that must agree with each other. */
function consistencyProblems(fixture: Fixture): string[] {
  const problems: string[] = [];
  const delays = fixture.response.delays_ms;
  if (delays && delays.length !== fixture.response.body_chunks.length) {
    problems.push(
      `/response/delays_ms has ${delays.length} entries for ${fixture.response.body_chunks.length} body chunks`,
    );
  }
  for (const field of fixture.request.optional_for_drivers ?? []) {
    if (!(field in fixture.request.body)) {
      problems.push(
        `/request/optional_for_drivers names "${field}", which is no field of /request/body; list only fields the body has`,
      );
    }
  }
  return problems;
}

function paramsOf(params: Record<string, unknown>): string {
  const detail = params.additionalProperty ?? params.allowedValues ?? params.missingProperty;
  return detail === undefined ? "" : ` (${JSON.stringify(detail)})`;
}

/** Reads and checks one fixture file; a bad one is an error naming the file and every problem. */
export function readFixture(path: string): Fixture {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`${path} is not readable JSON: ${(error as Error).message}`);
  }
  const problems = fixtureProblems(value);
  if (problems.length > 0) {
    throw new Error(`${path} is not a valid fixture (see fixture.schema.json):\n  ${problems.join("\n  ")}`);
  }
  const fixture = value as Fixture;
  const expectedName = path.replace(/^.*[\\/]/, "").replace(/\.json$/, "");
  if (fixture.name !== expectedName)
    throw new Error(`${path}: "name" is "${fixture.name}"; it must be the file name, "${expectedName}".`);
  const dialectDir = dirname(path).replace(/^.*[\\/]/, "");
  if (fixture.dialect !== dialectDir) {
    throw new Error(`${path}: "dialect" is "${fixture.dialect}" but the file sits in fixtures/${dialectDir}/.`);
  }
  return fixture;
}

/** Every fixture under `dir` (`<dialect>/<case>.json`), sorted by dialect and name. */
export function loadFixtures(dir = FIXTURES_DIR): Fixture[] {
  const fixtures: Fixture[] = [];
  for (const dialect of readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory())) {
    const files = readdirSync(join(dir, dialect.name)).filter((file) => file.endsWith(".json"));
    for (const file of files.sort()) fixtures.push(readFixture(join(dir, dialect.name, file)));
  }
  return fixtures.sort((a, b) => a.dialect.localeCompare(b.dialect) || a.name.localeCompare(b.name));
}

/** A body chunk's bytes. */
export function chunkBytes(chunk: BodyChunk): Uint8Array {
  return typeof chunk === "string" ? new TextEncoder().encode(chunk) : Buffer.from(chunk.base64, "base64");
}

const strictUTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** How a received piece is stored: as text when it is whole UTF-8, as base64 when it cuts a character. */
export function toBodyChunk(bytes: Uint8Array): BodyChunk {
  try {
    return strictUTF8.decode(bytes);
  } catch {
    return { base64: Buffer.from(bytes).toString("base64") };
  }
}
