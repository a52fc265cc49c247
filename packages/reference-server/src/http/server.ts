import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { DialectId } from "@chatwire/core";
import { Runtime, type RuntimeOptions } from "../engine/runtime.js";
import { SequencePool } from "../engine/sequence-pool.js";
import { type Logger, streamLogger } from "../log.js";
import { type ChatContext, handleChat } from "./chat-handler.js";
import { errorBody, HttpError } from "./error-body.js";
import { ServerMetrics } from "./metrics.js";
import { sendJSON } from "./send-json.js";

export interface ServerOptions extends RuntimeOptions {
  /** The id clients name in `model`. */
  modelId: string;
  host: string;
  port: number;
  /** The dialect of `POST /v1/chat/completions`. */
  dialect: DialectId;
  /** When set, requests need `Authorization: Bearer <apiKey>`. */
  apiKey?: string | undefined;
  /** Largest request body in bytes. */
  maxBodyBytes: number;
  /** Requests that may wait for a sequence before the server answers 429. */
  maxQueue: number;
  /** A stream whose client takes no bytes for this long is cancelled and its sequences freed. */
  sendTimeoutMs?: number | undefined;
  /** Origins besides loopback ones whose pages may call the server; `*` allows any. */
  allowedOrigins?: readonly string[] | undefined;
  log?: Logger | undefined;
}

export interface RunningServer {
  url: string;
  port: number;
  /** Resolves once the model is loaded and /health says ok. */
  ready: Promise<void>;
  metrics: ServerMetrics;
  /** Stops accepting requests, ends in-flight streams, unloads the model. */
  close(): Promise<void>;
}

const CHAT_ROUTES: Record<string, DialectId> = {
  "/octoai/v1/chat/completions": "octoai",
  "/predictionguard/chat/completions": "predictionguard",
  "/gradient/v1/chat/completions": "gradient",
};

async function readBody(request: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(request.headers["content-length"] ?? Number.NaN);
  if (declared > limit)
    throw new HttpError(
      413,
      `The request body is ${declared} bytes; the limit is ${limit}.`,
      "invalid_request_error",
      null,
      "request_too_large",
    );
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of request as AsyncIterable<Buffer>) {
    size += part.length;
    if (size > limit)
      throw new HttpError(
        413,
        `The request body is over the limit of ${limit} bytes.`,
        "invalid_request_error",
        null,
        "request_too_large",
      );
    parts.push(part);
  }
  const text = Buffer.concat(parts).toString("utf8");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new HttpError(
      400,
      `The request body is not valid JSON (${(error as Error).message}). Send a JSON object with content-type application/json.`,
      "invalid_request_error",
      null,
      "invalid_json",
    );
  }
  if (nestingDepth(body) > MAX_NESTING) {
    throw new HttpError(
      400,
      `The request body nests arrays and objects more than ${MAX_NESTING} levels deep.`,
      "invalid_request_error",
      null,
      "invalid_request",
    );
  }
  return body;
}

/** Deepest nesting of arrays and objects a request may have: the handler and its libraries recurse. */
const MAX_NESTING = 64;

/** How deep `value` nests arrays and objects, counted without recursion (stopping past the limit). */
function nestingDepth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (typeof item !== "object" || item === null) continue;
    if (depth + 1 > deepest) deepest = depth + 1;
    if (deepest > MAX_NESTING) return deepest;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** Starts the server: it listens at once and answers /health with 503 until the model is loaded. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const log = options.log ?? streamLogger();
  let context: ChatContext | undefined;
  let closing = false;
  const pool = { active: () => context?.pool.active ?? 0, queued: () => context?.pool.queued ?? 0 };
  const metrics = new ServerMetrics(pool);
  const inFlight = new Set<ServerResponse>();

  const route = async (
    request: IncomingMessage,
    response: ServerResponse,
    path: string,
    started: number,
  ): Promise<number> => {
    if (request.method === "GET" && path === "/health") {
      if (!context) sendJSON(response, 503, { status: "loading" });
      else sendJSON(response, 200, { status: "ok" });
      return 0;
    }
    if (request.method === "GET" && path === "/metrics") {
      const text = await metrics.registry.metrics();
      response.writeHead(200, { "content-type": metrics.registry.contentType });
      response.end(text);
      return 0;
    }
    const dialect = CHAT_ROUTES[path] ?? (path === "/v1/chat/completions" ? options.dialect : undefined);
    if (options.apiKey && request.headers.authorization !== `Bearer ${options.apiKey}`) {
      throw new HttpError(
        401,
        "Missing or wrong API key: send Authorization: Bearer <key> with the key the server was started with.",
        "authentication_error",
        null,
        "invalid_api_key",
      );
    }
    if (request.method === "GET" && path === "/v1/models") {
      sendJSON(response, 200, {
        object: "list",
        data: [{ id: options.modelId, object: "model", created: 0, owned_by: "chatwire" }],
      });
      return 0;
    }
    if (!dialect) {
      throw new HttpError(
        404,
        `No route ${request.method} ${path}. Chat completions: POST /v1/chat/completions, ${Object.keys(CHAT_ROUTES).join(", ")}.`,
        "not_found_error",
      );
    }
    if (request.method !== "POST") {
      throw new HttpError(405, `${path} takes POST.`, "invalid_request_error");
    }
    if (!context || closing) {
      throw new HttpError(
        503,
        closing ? "The server is shutting down." : "The model is still loading; retry when GET /health says ok.",
        "server_error",
        null,
        null,
        { "retry-after": "1" },
      );
    }
    const body = await readBody(request, options.maxBodyBytes);
    const outcome = await handleChat(context, dialect, body, response, started);
    return outcome.completionTokens;
  };

  const server: Server = createServer((request, response) => {
    const started = performance.now();
    inFlight.add(response);
    response.on("close", () => inFlight.delete(response));
    const path = (request.url ?? "/").split("?")[0] as string;
    route(request, response, path, started)
      .catch((error: unknown) => {
        const known = error instanceof HttpError ? error : undefined;
        if (!known) log("error", `error ${request.method} ${path}: ${(error as Error).stack ?? error}`);
        const failure = known ?? new HttpError(500, `Internal error: ${(error as Error).message}`, "server_error");
        // Errors of a dialect's route speak that dialect; any other route speaks the default one.
        const dialect = CHAT_ROUTES[path] ?? options.dialect;
        // Nothing more can be sent once the response has ended or the client is gone.
        const open = !response.writableEnded && !response.destroyed;
        if (open && response.headersSent) {
          // Mid-stream: the dialect's error body as an event, then the end, never a silent stop.
          response.end(`data: ${JSON.stringify(errorBody(dialect, failure))}\n\n`);
        } else if (open) {
          sendJSON(response, failure.status, errorBody(dialect, failure), failure.headers);
        }
        return 0;
      })
      .then((tokens) => {
        const status = response.statusCode;
        metrics.requests.inc({ route: path, status: String(status) });
        log(
          "info",
          `${request.method} ${path} ${status} ${tokens} tokens ${(performance.now() - started).toFixed(1)} ms`,
        );
      });
  });
  server.headersTimeout = 30_000;
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${address.port}`;

  let runtime: Runtime | undefined;
  const ready = Runtime.load(options).then((loaded) => {
    runtime = loaded;
    const sequencePool = new SequencePool(loaded.context, options.parallel, options.maxQueue);
    context = { runtime: loaded, pool: sequencePool, metrics, modelId: options.modelId };
    log("info", `${options.modelId} on ${loaded.device}, ${options.parallel} sequences, listening at ${url}`);
  });

  return {
    url,
    port: address.port,
    ready,
    metrics,
    async close() {
      closing = true;
      context?.pool.rejectWaiting(new HttpError(503, "The server is shutting down.", "server_error"));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Streams in flight are ended: their generations stop and free their sequences.
      for (const response of inFlight) response.destroy();
      server.closeIdleConnections();
      await closed;
      await ready.catch(() => {});
      await runtime?.dispose();
    },
  };
}
