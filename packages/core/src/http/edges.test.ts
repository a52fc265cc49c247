import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import {
  APIError,
  APITimeoutError,
  APIUserAbortError,
  AuthenticationError,
  StreamError,
  type StreamErrorKind,
} from "../errors.js";
import { API_KEY, chunk, collect, type Handler, sse, useScriptedServer } from "./test-server.js";

const server = useScriptedServer();
const { postJSON, postStream } = server;

/** A success answer that is not an event stream and whose body never ends. */
const stalledJSON: Handler = (_, res) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.write('{"id": "c1", ');
};

/** An event stream of SSE comments only, one every 40 ms, that never ends. */
const commentsForever: Handler = (_, res) => {
  res.writeHead(200, { "content-type": "text/event-stream" });
  const timer = setInterval(() => res.write(": keep-alive\n\n"), 40);
  res.on("close", () => clearInterval(timer));
};

async function streamFailure(handler: Handler, options = {}, overrides = {}): Promise<StreamError> {
  server.script = [handler];
  const error = await (async () => collect(await postStream(options, overrides)))().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(StreamError);
  return error as StreamError;
}

describe("a stream answer that is not an event stream", () => {
  it("ends in APITimeoutError at the request timeout when its body stalls", { timeout: 5_000 }, async () => {
    server.script = [stalledJSON];
    const error = await postStream({ timeout: 500, maxRetries: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APITimeoutError);
    expect((error as Error).message).toMatch(/timed out after 500 ms/);
  });

  it("ends in APIUserAbortError when the caller aborts while its body stalls", { timeout: 5_000 }, async () => {
    server.script = [stalledJSON];
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const error = await postStream({ timeout: 20_000, signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIUserAbortError);
  });
});

describe("validation warn and off", () => {
  const wrongShapes: Handler = sse([
    `data: ${chunk("a")}\n\n`,
    'data: {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m"}\n\n',
    `data: {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m", "choices": "x"}\n\n`,
    `data: ${chunk("b", "stop")}\n\n`,
    "data: [DONE]\n\n",
  ]);

  for (const validation of ["warn", "off"] as const) {
    it(`yields every chunk with validation "${validation}"; only finalCompletion fails`, async () => {
      server.script = [wrongShapes];
      const warnings: string[] = [];
      const stream = await postStream({ validation }, { logger: { warn: (m: string) => warnings.push(m) } });
      expect(await collect(stream)).toHaveLength(4);
      const error = await stream.finalCompletion().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StreamError);
      expect((error as StreamError).kind).toBe("unassemblable");
      expect((error as Error).message).toMatch(/Chunk 2 of the stream has no `choices`.*cannot be assembled/);
      expect(warnings).toHaveLength(validation === "warn" ? 2 : 0);
    });
  }
});

describe("stream deadlines", () => {
  it("ends a stream of comments only at streamTimeout; comments keep the idle timer alive", {
    timeout: 5_000,
  }, async () => {
    const error = await streamFailure(commentsForever, { idleTimeout: 300, streamTimeout: 800 });
    expect(error.kind).toBe("stream-timeout");
    expect(error.message).toMatch(/streamTimeout \(800 ms\)/);
    await expect.poll(() => server.closedMidStream.length, { timeout: 1_000 }).toBe(1);
  });

  it("ends a stalled stream at idleTimeout with kind idle-timeout", { timeout: 5_000 }, async () => {
    const error = await streamFailure(sse([`data: ${chunk("a")}\n\n`], "stall"), { idleTimeout: 300 });
    expect(error.kind).toBe("idle-timeout");
    expect(error.message).toMatch(/no data for 300 ms/);
  });
});

describe("StreamError kinds", () => {
  const cases: [StreamErrorKind, Handler, object?][] = [
    ["not-event-stream", (_, res) => res.writeHead(200, { "content-type": "text/html" }).end("<html>login</html>")],
    ["error-event", sse([`data: ${chunk("a")}\n\n`, 'event: error\ndata: {"error": {"message": "overloaded"}}\n\n'])],
    ["error-event", sse(['data: {"error": "PII detected"}\n\n'])],
    ["invalid-json", sse(['data: {"id": \n\n'])],
    ["truncated", sse([`data: ${chunk("a")}\n\n`])],
    ["too-large", sse([`data: ${"x".repeat(5000)}\n\n`]), { maxEventSize: 1024 }],
  ];
  for (const [kind, handler, overrides] of cases) {
    it(`says ${kind}`, async () => {
      const error = await streamFailure(handler, {}, overrides);
      expect(error.kind).toBe(kind);
    });
  }
});

describe("the provider's error fields on a StreamError", () => {
  const error = { error: { message: "overloaded", type: "server_error", code: "overloaded", param: null } };
  const cases: [string, Handler][] = [
    ["an error event", sse([`event: error\ndata: ${JSON.stringify(error)}\n\n`])],
    ["an error object in a data line", sse([`data: ${JSON.stringify(error)}\n\n`])],
    [
      "a JSON error instead of a stream",
      (_, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(error)),
    ],
  ];
  for (const [where, handler] of cases) {
    it(`carries code, type and param from ${where}`, async () => {
      const failure = await streamFailure(handler);
      expect([failure.code, failure.type, failure.param]).toEqual(["overloaded", "server_error", null]);
    });
  }
});

describe("API key redaction", () => {
  it("leaves chatwire's and the provider's words alone when a short key happens to be a word", async () => {
    server.script = [
      (_, res) =>
        res
          .writeHead(401, { "content-type": "application/json" })
          .end(JSON.stringify({ error: { message: "Missing or wrong API key" } })),
    ];
    const error = await postJSON({ maxRetries: 0 }, { apiKey: "wrong" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toContain("Missing or wrong API key");
    expect((error as Error).message).toContain("Check the API key");
  });

  const echoes: [string, Handler][] = [
    [
      "an error body and header",
      (_, res) =>
        res
          .writeHead(401, { "content-type": "application/json", "x-echo": `Bearer ${API_KEY}` })
          .end(JSON.stringify({ error: { message: `invalid key ${API_KEY}`, param: API_KEY } })),
    ],
    [
      "a body that is not an event stream",
      (_, res) => res.writeHead(200, { "content-type": "text/plain" }).end(`your key ${API_KEY} is not allowed`),
    ],
    ["an error event", sse([`event: error\ndata: {"error": {"message": "bad key ${API_KEY}"}}\n\n`])],
    ["a chunk that is not JSON", sse([`data: {"key": "${API_KEY}"\n\n`])],
  ];
  for (const [where, handler] of echoes) {
    it(`keeps a key echoed in ${where} out of every part of the error`, async () => {
      server.script = [handler];
      const error = await (async () => collect(await postStream({ maxRetries: 0 })))().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(APIError);
      const apiError = error as StreamError;
      const parts = [
        apiError.message,
        apiError.rawBody,
        String(JSON.stringify(apiError.body)),
        JSON.stringify(apiError.event ?? null),
        JSON.stringify([...(apiError.headers?.entries() ?? [])]),
      ];
      for (const part of parts) expect(part).not.toContain(API_KEY);
      expect(apiError.message).toContain("[redacted]");
    });
  }

  it("keeps a key in the base URL out of the error", async () => {
    server.script = [(_, res) => res.writeHead(404, { "content-type": "text/plain" }).end("no such route")];
    const error = await postJSON({ maxRetries: 0 }, { baseURL: `${server.baseURL}/k/${API_KEY}` }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/k\/\[redacted\]\/v1/);
    expect(server.requests[0]?.url).toBe(`/k/${API_KEY}/v1/chat/completions`);
  });
});

describe("the caller's signal", () => {
  it("is let go once a stream is over, read to the end or left early", async () => {
    const signal = new AbortController().signal;
    server.script = [sse([`data: ${chunk("a")}\n\n`, "data: [DONE]\n\n"]), sse([`data: ${chunk("a")}\n\n`], "stall")];
    await collect(await postStream({ signal }));
    for await (const _ of await postStream({ signal })) break;
    expect(getEventListeners(signal, "abort")).toHaveLength(0);
  });
});
