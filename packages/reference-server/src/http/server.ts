import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { DialectId } from "@chatwire/core";
import { ApiError, asApiError } from "../api/errors.js";
import { Runtime, type RuntimeOptions } from "../engine/runtime.js";
import { SequencePool } from "../engine/sequence-pool.js";
import { type Logger, streamLogger } from "../log.js";
import { errorBody } from "../wire/error-body.js";
import { type ChatContext, requestLimits, serveChat } from "./chat-route.js";
import { checkApiKey, checkJsonBody, checkOrigin, type RequestGuard } from "./guard.js";
import { ServerMetrics } from "./metrics.js";
import { modelList } from "./model-list.js";
import { readJsonBody } from "./read-body.js";
import { buildRoutes, ROUTE_METHOD, type Route, routeDialect } from "./routes.js";
import { sendJSON } from "./send-json.js";
import { serveTokenize } from "./tokenize-route.js";

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

const DEFAULT_SEND_TIMEOUT_MS = 30_000;

/** Starts the server: it listens at once and answers /health with 503 until the model is loaded. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  if (options.apiKey === "") throw new Error("The API key is empty; give a key, or none to turn auth off.");
  const log = options.log ?? streamLogger();
  keepServingOnEngineFaults(log);
  let context: ChatContext | undefined;
  let closing = false;
  const pool = { active: () => context?.pool.active ?? 0, queued: () => context?.pool.queued ?? 0 };
  const metrics = new ServerMetrics(pool);
  const inFlight = new Set<ServerResponse>();
  const routes = buildRoutes(options.dialect);
  const guard: RequestGuard = { allowedOrigins: options.allowedOrigins ?? [], host: options.host };

  const models = () => modelList(options.modelId, options.loras ?? []);

  const handle = async (
    request: IncomingMessage,
    response: ServerResponse,
    path: string,
    route: Route | undefined,
    started: number,
  ) => {
    checkOrigin(request, guard);
    if (!route) {
      throw new ApiError(
        "route_not_found",
        `No route ${request.method} ${path}. Chat completions: POST ${[...routes]
          .filter(([, r]) => r.kind === "chat")
          .map(([p]) => p)
          .join(", ")}.`,
      );
    }
    if (request.method !== ROUTE_METHOD[route.kind]) {
      throw new ApiError("method_not_allowed", `${path} takes ${ROUTE_METHOD[route.kind]}.`, {
        headers: { allow: ROUTE_METHOD[route.kind] },
      });
    }
    // Health and the model list stay open, as in llama-server; everything else needs the key.
    if (route.kind === "health") {
      sendJSON(response, context ? 200 : 503, { status: context ? "ok" : "loading" });
      return 0;
    }
    // The bare `/v1/models` is open; a dialect's own model list answers as that provider's does, keyed.
    if (route.kind !== "models" || route.dialect !== undefined) checkApiKey(request, options.apiKey);
    if (route.kind === "models") {
      sendJSON(response, 200, models());
      return 0;
    }
    if (route.kind === "metrics") {
      const text = await metrics.registry.metrics();
      response.writeHead(200, { "content-type": metrics.registry.contentType });
      response.end(text);
      return 0;
    }
    checkJsonBody(request);
    if (!context || closing) {
      throw new ApiError(
        "unavailable",
        closing ? "The server is shutting down." : "The model is still loading; retry when GET /health says ok.",
        { headers: { "retry-after": "1" } },
      );
    }
    const body = await readJsonBody(request, options.maxBodyBytes);
    if (route.kind !== "chat") {
      return serveTokenize(context.runtime, route.kind, body, response, context.limits.maxPromptBytes);
    }
    return serveChat(context, route.dialect, body, response, started);
  };

  const server: Server = createServer((request, response) => {
    const started = performance.now();
    inFlight.add(response);
    response.on("close", () => inFlight.delete(response));
    const path = (request.url ?? "/").split("?")[0] as string;
    const route = routes.get(path);
    handle(request, response, path, route, started)
      .catch((error: unknown) => {
        const failure = asApiError(error);
        if (failure.status >= 500) log("error", `${request.method} ${path}: ${(error as Error).stack ?? error}`);
        const body = errorBody(routeDialect(route, options.dialect), failure);
        // Nothing more can be sent once the response has ended or the client is gone.
        if (response.writableEnded || response.destroyed) return 0;
        // Mid-stream: the dialect's error body as an event, then the end, never a silent stop.
        if (response.headersSent) response.end(`data: ${JSON.stringify(body)}\n\n`);
        else sendJSON(response, failure.status, body, failure.headers);
        return 0;
      })
      .then((tokens) => {
        const status = response.statusCode;
        // Known routes only: a label per unknown path would let any client grow the metrics without bound.
        metrics.requests.inc({ route: route ? path : "other", status: String(status) });
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
    try {
      server.listen(options.port, options.host, () => resolve());
    } catch (error) {
      reject(error);
    }
  });
  const address = server.address() as AddressInfo;
  const url = `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${address.port}`;

  let runtime: Runtime | undefined;
  const ready = Runtime.load(options).then((loaded) => {
    runtime = loaded;
    context = {
      runtime: loaded,
      pool: new SequencePool(loaded.decoder, options.parallel, options.maxQueue),
      metrics,
      limits: requestLimits(loaded, options.modelId, options.parallel),
      sendTimeoutMs: options.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS,
    };
    log("info", `${options.modelId} on ${loaded.device}, ${options.parallel} sequences, listening at ${url}`);
  });

  return {
    url,
    port: address.port,
    ready,
    metrics,
    async close() {
      closing = true;
      context?.pool.rejectWaiting(new ApiError("unavailable", "The server is shutting down."));
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

let faultNetInstalled = false;

/**
 * node-llama-cpp dispatches batches outside any request's promise chain, so a failure there would
 * be an unhandled rejection, which ends a Node process. The server logs it and keeps serving.
 */
function keepServingOnEngineFaults(log: Logger): void {
  if (faultNetInstalled) return;
  faultNetInstalled = true;
  process.on("unhandledRejection", (reason) => {
    log("error", `engine fault outside a request, kept serving: ${(reason as Error)?.stack ?? String(reason)}`);
  });
}
