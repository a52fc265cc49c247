import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A backend on 127.0.0.1 that answers every request with `handle`; for the evidence tests. */
export interface FakeBackend {
  url: string;
  stop(): Promise<void>;
}

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

export async function startFakeBackend(handle: Handler): Promise<FakeBackend> {
  const server = createServer((request, response) => {
    const parts: Buffer[] = [];
    request.on("data", (part: Buffer) => parts.push(part));
    request.on("end", () => handle(request, Buffer.concat(parts).toString("utf8"), response));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A sign-in page, as a proxy or an identity gateway in front of a backend sends for every request. */
export const loginPage: Handler = (_request, _body, response) => {
  response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
  response.end("<!doctype html><html><body><form action=/login><input name=user></form></body></html>");
};

/** Accepts every request and never answers it. */
export const hang: Handler = () => {};

function completion(model: string) {
  return {
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1,
    model,
    choices: [
      { index: 0, message: { role: "assistant", content: "Calm seas and a light breeze." }, finish_reason: "stop" },
    ],
    usage: { prompt_tokens: 9, completion_tokens: 7, total_tokens: 16 },
  };
}

/**
 * Well-formed replies and error bodies, but streams without a single chunk: `[DONE]` and nothing
 * else. An unknown model, a bad temperature and `stream_options` without `stream` are refused.
 */
export const zeroChunkStreams: Handler = (_request, text, response) => {
  const refuse = (message: string, param: string | null) => {
    response.writeHead(400, { "content-type": "application/json" });
    response.end(JSON.stringify({ error: { message, type: "invalid_request_error", param, code: null } }));
  };
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return refuse("the body is not JSON", null);
  }
  if (body.model !== "m") return refuse(`no model ${String(body.model)}`, "model");
  if (typeof body.temperature !== "number") return refuse("temperature must be a number", "temperature");
  if (body.stream_options !== undefined && body.stream !== true) return refuse("stream_options needs stream", "stream");
  if (body.stream === true) {
    response.writeHead(200, { "content-type": "text/event-stream" });
    response.end("data: [DONE]\n\n");
    return;
  }
  response.writeHead(200, { "content-type": "application/json" });
  response.end(JSON.stringify(completion("m")));
};

/** A backend that serves only under `/right`, as one behind a path prefix does; 404 elsewhere. */
export const onlyUnder =
  (prefix: string, inner: Handler): Handler =>
  (request, body, response) => {
    if ((request.url ?? "").startsWith(`${prefix}/`)) return inner(request, body, response);
    response.writeHead(404, { "content-type": "application/json" });
    response.end(JSON.stringify({ error: { message: `no route for ${request.url}`, type: "not_found" } }));
  };
