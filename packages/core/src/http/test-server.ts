import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { ChatCompletion, ChatCompletionChunk } from "../generated/types.js";
import { type ClientOptions, HTTPClient, type RequestOptions } from "./client.js";

/** One scripted answer of the test server, per incoming request, so retries can be told apart. */
export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export const API_KEY = "sk-test-secret-key-12345";

/**
 * A real HTTP server on 127.0.0.1 for the file's tests, whose behaviour each test scripts
 * (`server.script = [...]`), started before and closed after the file.
 */
export function useScriptedServer() {
  let server: Server;
  const state = {
    baseURL: "",
    script: [] as Handler[],
    requests: [] as { url: string; headers: IncomingMessage["headers"]; body: string }[],
    closedMidStream: [] as boolean[],
  };
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (part: Buffer) => {
        body += part.toString("utf8");
      });
      req.on("end", () => {
        state.requests.push({ url: req.url ?? "", headers: req.headers, body });
        const handler = state.script.shift() ?? ((_, r) => r.writeHead(500).end("no handler scripted"));
        res.on("close", () => {
          if (!res.writableEnded) state.closedMidStream.push(true);
        });
        handler(req, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    state.baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    state.script = [];
    state.requests = [];
    state.closedMidStream.length = 0;
  });

  const client = (overrides: Partial<ClientOptions> = {}) =>
    new HTTPClient({
      baseURL: state.baseURL,
      apiKey: API_KEY,
      apiKeySource: "TEST_API_KEY",
      userAgent: "chatwire/core-test/0.0.0",
      maxRetries: 2,
      timeout: 2_000,
      idleTimeout: 1_000,
      ...overrides,
    });
  const postJSON = (options: RequestOptions = {}, overrides: Partial<ClientOptions> = {}) =>
    client(overrides).postJSON<ChatCompletion>(
      {
        path: "/v1/chat/completions",
        body: request,
        what: "test chat request",
        requestSchema: "ChatCompletionRequest",
        responseSchema: "ChatCompletion",
      },
      options,
    );
  const postStream = (options: RequestOptions = {}, overrides: Partial<ClientOptions> = {}) =>
    client(overrides).postStream<ChatCompletionChunk>(
      {
        path: "/v1/chat/completions",
        body: { ...request, stream: true },
        what: "test chat request",
        requestSchema: "ChatCompletionRequest",
        chunkSchema: "ChatCompletionChunk",
        doneSentinel: "[DONE]",
      },
      options,
    );
  return Object.assign(state, { client, postJSON, postStream });
}

const request = { model: "m", messages: [{ role: "user", content: "hi" }] };

export const completion: ChatCompletion = {
  id: "c1",
  object: "chat.completion",
  created: 1,
  model: "m",
  choices: [{ index: 0, message: { role: "assistant", content: "hello" }, finish_reason: "stop" }],
};

export const chunk = (content: string, finish: ChatCompletionChunk["choices"][number]["finish_reason"] = null) =>
  JSON.stringify({
    id: "c1",
    object: "chat.completion.chunk",
    created: 1,
    model: "m",
    choices: [{ index: 0, delta: { content }, finish_reason: finish }],
  });

export const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Handler =>
  (_, res) => {
    res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
  };

/** Writes SSE frames; `then` decides how the response ends. */
export const sse =
  (frames: string[], then: "end" | "reset" | "stall" = "end"): Handler =>
  (req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream", "x-request-id": "req-stream" });
    for (const frame of frames) res.write(frame);
    if (then === "end") res.end();
    if (then === "reset") setTimeout(() => req.socket.destroy(), 20);
  };

export const resetBeforeHeaders: Handler = (req) => req.socket.destroy();

export async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of stream) items.push(item);
  return items;
}
