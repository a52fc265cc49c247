import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type DialectId, dialects } from "@chatwire/core";
import { requestMismatchMessage } from "../drivers/request-mismatch.js";
import { type Fixture, fixtureProblems } from "../fixture.js";
import {
  bodyDifferences,
  describeDifference,
  type RequestFieldDifference,
  routeDifferences,
} from "../replay/request-match.js";
import { ADDRESSING_HELP, caseId, casePrefix, parseCaseAddress } from "./case-address.js";
import { answerError, answerJSON, type ErrorAnswer } from "./json-answers.js";
import { readJsonBody } from "./read-json-body.js";
import { writeFixtureResponse } from "./write-fixture-response.js";

export interface FixtureServerOptions {
  fixtures: readonly Fixture[];
  /** Default 127.0.0.1: only this machine. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
}

export interface FixtureServer {
  /** `http://host:port`, no trailing slash. */
  url: string;
  /** Where `fixture` is served, as the chatwire SDKs take a base URL: `${url}/<dialect>/<name>`. */
  baseURL(fixture: Fixture): string;
  /** Stops listening and ends every open connection, answers in progress included. */
  close(): Promise<void>;
}

// Bounds on what one client can hold: headers, a whole request, a silent connection.
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 20_000;
const SOCKET_IDLE_TIMEOUT_MS = 30_000;
const VALUE_CHARS_IN_MESSAGES = 200;

interface ServingContext {
  cases: ReadonlyMap<string, Fixture>;
  url: string;
  stop: AbortSignal;
}

/**
 * Serves each fixture's recorded answer over HTTP, to an SDK of any language: the case is chosen by
 * the path (`/<dialect>/<name>` + the recorded path), the request is checked against the recorded
 * one (method, path, the body fields the fixture names), and the answer goes out byte for byte at
 * the recorded pace. A request that differs is answered 400 with what differed. Stateless: any
 * case may be requested any number of times, at once.
 */
export async function startFixtureServer(options: FixtureServerOptions): Promise<FixtureServer> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RangeError(`The port must be an integer from 0 to 65535 (0 picks a free one); got ${port}.`);
  }
  const cases = indexCases(options.fixtures);
  const stopping = new AbortController();
  const context: ServingContext = { cases, url: "", stop: stopping.signal };
  const answering = new Set<Promise<void>>();
  const server = createServer(
    {
      // Each recorded piece leaves as it is written, not held back to be merged with the next.
      noDelay: true,
      headersTimeout: HEADERS_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      connectionsCheckingInterval: 1_000,
    },
    (request, response) => {
      const task: Promise<void> = answer(request, response, context)
        .catch((error: unknown) => answerFailure(response, error))
        .finally(() => answering.delete(task));
      answering.add(task);
    },
  );
  server.setTimeout(SOCKET_IDLE_TIMEOUT_MS);
  await listen(server, host, port);
  const { port: boundPort } = server.address() as AddressInfo;
  context.url = `http://${host.includes(":") ? `[${host}]` : host}:${boundPort}`;

  let closing: Promise<void> | undefined;
  return {
    url: context.url,
    baseURL(fixture) {
      const id = caseId(fixture);
      if (cases.get(id) === undefined) {
        throw new Error(`The fixture server does not serve ${id}; pass the fixture in startFixtureServer's fixtures.`);
      }
      return `${context.url}${casePrefix(fixture)}`;
    },
    close() {
      closing ??= (async () => {
        stopping.abort();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await Promise.allSettled([...answering]);
        await closed;
      })();
      return closing;
    },
  };
}

/** The served cases by id; a fixture that is not valid, cannot be served or shares an id is an error. */
function indexCases(fixtures: readonly Fixture[]): Map<string, Fixture> {
  const cases = new Map<string, Fixture>();
  for (const fixture of fixtures) {
    const problems = fixtureProblems(fixture);
    const id = caseId(fixture);
    if (problems.length > 0) {
      throw new Error(`${id} is not a valid fixture (see fixture.schema.json):\n  ${problems.join("\n  ")}`);
    }
    if (fixture.response.status < 200) {
      throw new Error(
        `${id} records status ${fixture.response.status}, which is no final answer; it cannot be served.`,
      );
    }
    if (cases.has(id)) throw new Error(`Two fixtures are ${id}; each served case needs its own dialect and name.`);
    cases.set(id, fixture);
  }
  return cases;
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(new Error(listenFailure(error, host, port)));
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
}

function listenFailure(error: NodeJS.ErrnoException, host: string, port: number): string {
  const where = `${host}:${port}`;
  switch (error.code) {
    case "EADDRINUSE":
      return `Cannot serve fixtures on ${where}: the port is in use. Choose another port, or 0 for any free one.`;
    case "EACCES":
      return `Cannot serve fixtures on ${where}: not allowed to listen there (ports below 1024 need privileges). Choose a port of 1024 or more, or 0 for any free one.`;
    case "EADDRNOTAVAIL":
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `Cannot serve fixtures on ${where}: ${host} is no address of this machine. Use 127.0.0.1 (the default), or 0.0.0.0 to serve on every interface.`;
    default:
      return `Cannot serve fixtures on ${where}: ${error.message}`;
  }
}

async function answer(request: IncomingMessage, response: ServerResponse, context: ServingContext): Promise<void> {
  const method = request.method ?? "";
  const pathname = pathOf(request.url ?? "/");
  if (pathname === "/" && method === "GET") return answerJSON(response, 200, caseIndex(context));
  const address = parseCaseAddress(pathname);
  const fixture = address && context.cases.get(address.id);
  if (!address || !fixture) return answerError(response, unknownCase(method, pathname, address?.id));

  const route = routeDifferences(fixture, { method, path: address.rest });
  // Answered before the body is read: node reads and drops the body once the answer is out.
  if (route.length > 0) return answerError(response, mismatch(fixture, route, context));
  const reading = await readJsonBody(request);
  if ("clientLeft" in reading) return;
  if ("refusal" in reading) {
    const { status, code, message, closeConnection } = reading.refusal;
    return answerError(response, {
      status,
      code,
      message,
      dialect: fixture.dialect,
      details: { case: caseId(fixture) },
      closeConnection,
    });
  }
  const differences = bodyDifferences(fixture, reading.body, fixture.request.optional_for_drivers);
  if (differences.length > 0) return answerError(response, mismatch(fixture, differences, context));
  await writeFixtureResponse(fixture, response, context.stop);
}

/** The path of a request target, origin-form or absolute-form, without its query. */
function pathOf(target: string): string {
  if (/^https?:\/\//i.test(target)) return new URL(target).pathname;
  return target.split(/[?#]/, 1)[0] ?? "/";
}

function unknownCase(method: string, pathname: string, id: string | undefined): ErrorAnswer {
  const dialect = id?.split("/")[0];
  const named = id === undefined ? "no case" : `no case ${id}`;
  return {
    status: 404,
    code: "unknown_case",
    message: `${method} ${pathname} names ${named} of this fixture server. ${ADDRESSING_HELP}`,
    dialect: dialect && dialect in dialects ? (dialect as DialectId) : undefined,
  };
}

function mismatch(
  fixture: Fixture,
  differences: readonly RequestFieldDifference[],
  context: ServingContext,
): ErrorAnswer {
  const id = caseId(fixture);
  const listed = differences.map((difference) => describeDifference(difference, VALUE_CHARS_IN_MESSAGES));
  const pathHint = differences.some((difference) => difference.field === "path")
    ? ` Give the SDK the base URL ${context.url}${casePrefix(fixture)}: the dialect's chat path ${fixture.request.path} is appended to it.`
    : "";
  const optional = fixture.request.optional_for_drivers;
  const optionalHint = optional
    ? ` An SDK whose method lacks ${optional.join(", ")} may leave ${optional.length > 1 ? "them" : "it"} out; sent, ${optional.length > 1 ? "they" : "it"} must have the recorded value.`
    : "";
  return {
    status: 400,
    code: "request_mismatch",
    message: `${requestMismatchMessage(id, listed)}${pathHint}${optionalHint} GET ${context.url}/ shows each case's request.`,
    dialect: fixture.dialect,
    details: { case: id, differences },
  };
}

/** `GET /`: every case, where it is served and what request it answers. */
function caseIndex(context: ServingContext): unknown {
  return {
    addressing: ADDRESSING_HELP,
    cases: [...context.cases.values()].map((fixture) => {
      const baseURL = `${context.url}${casePrefix(fixture)}`;
      const { method, path, body, optional_for_drivers } = fixture.request;
      return {
        id: caseId(fixture),
        dialect: fixture.dialect,
        name: fixture.name,
        description: fixture.description,
        base_url: baseURL,
        request: {
          method,
          url: `${baseURL}${path}`,
          stream: body.stream === true,
          body,
          ...(optional_for_drivers && { optional_for_drivers }),
        },
        response: { status: fixture.response.status, ends: fixture.response.ends ?? "close" },
      };
    }),
  };
}

function answerFailure(response: ServerResponse, error: unknown): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  answerError(response, {
    status: 500,
    code: "server_error",
    message: `The fixture server failed to answer: ${(error as Error).message}`,
    closeConnection: true,
  });
}
