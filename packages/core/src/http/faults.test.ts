import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  AuthenticationError,
  InternalServerError,
  RateLimitError,
  StreamError,
  ValidationError,
} from "../errors.js";
import {
  API_KEY,
  chunk,
  collect,
  completion,
  json,
  resetBeforeHeaders,
  sse,
  useScriptedServer,
} from "./test-server.js";

const server = useScriptedServer();
const { client, postJSON, postStream } = server;

describe("transport against a faulty server", () => {
  it("retries a 429 after the retry-after it names, then succeeds", { timeout: 3_000 }, async () => {
    server.script = [
      json(429, { error: { message: "slow down", type: "rate_limit" } }, { "retry-after": "1" }),
      json(200, completion),
    ];
    await expect(postJSON()).resolves.toEqual(completion);
    expect(server.requests).toHaveLength(2);
  });

  it("gives up on 429 after maxRetries with a RateLimitError that says so", { timeout: 3_000 }, async () => {
    const limited = json(429, { error: { message: "slow down", type: "rate_limit" } }, { "retry-after-ms": "10" });
    server.script = [limited, limited, limited];
    const error = await postJSON().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).status).toBe(429);
    expect((error as Error).message).toMatch(/failed with 429 .*after 2 retries: slow down\. Slow down/);
    expect(server.requests).toHaveLength(3);
  });

  it("ends the provider's message with one full stop, whether or not it wrote one", { timeout: 3_000 }, async () => {
    server.script = [json(400, { error: { message: "Bad temperature.", type: "invalid_request_error" } })];
    const error = await postJSON().catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/: Bad temperature\. [A-Z]/);
    expect((error as Error).message).not.toContain("..");
  });

  it("retries a 503 and returns the success that follows", { timeout: 3_000 }, async () => {
    server.script = [
      json(503, { error: { message: "overloaded", type: "server_error" } }, { "retry-after-ms": "10" }),
      json(200, completion),
    ];
    const { data, response, requestId } = await postJSON().withResponse();
    expect(data).toEqual(completion);
    expect(response.status).toBe(200);
    expect(requestId).toBeUndefined();
    expect(server.requests).toHaveLength(2);
  });

  it("retries a connection reset before the headers", { timeout: 3_000 }, async () => {
    server.script = [resetBeforeHeaders, json(200, completion)];
    await expect(postJSON()).resolves.toEqual(completion);
    expect(server.requests).toHaveLength(2);
  });

  it("ends in APIConnectionError when every try is reset", { timeout: 4_000 }, async () => {
    server.script = [resetBeforeHeaders, resetBeforeHeaders];
    const error = await postJSON({ maxRetries: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toMatch(/connection failed before a response came .*gave up after 1 retry/);
  });

  it("turns an HTML 502 page into an InternalServerError that says it got HTML", { timeout: 3_000 }, async () => {
    server.script = [
      (_, res) =>
        res.writeHead(502, { "content-type": "text/html" }).end("<html><body><h1>502 Bad Gateway</h1></body></html>"),
    ];
    const error = await postJSON({ maxRetries: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as InternalServerError).status).toBe(502);
    expect((error as Error).message).toMatch(
      /failed with 502 Bad Gateway: the server answered with HTML, not JSON: "<html>.*502 Bad Gateway/,
    );
  });

  it("times out a server that never answers", { timeout: 3_000 }, async () => {
    server.script = [() => {}];
    const error = await postJSON({ maxRetries: 0, timeout: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APITimeoutError);
    expect((error as Error).message).toMatch(/timed out after 300 ms/);
  });

  it("reads a stream to [DONE]", { timeout: 3_000 }, async () => {
    server.script = [sse([`data: ${chunk("Hel")}\n\n`, `data: ${chunk("lo", "stop")}\n\n`, "data: [DONE]\n\n"])];
    const stream = await postStream();
    const chunks = await collect(stream);
    expect(chunks.map((c) => c.choices[0]?.delta.content)).toEqual(["Hel", "lo"]);
    expect((await stream.finalCompletion()).choices[0]?.message.content).toBe("Hello");
  });

  it("ends in APIConnectionError when the connection resets mid-stream", { timeout: 3_000 }, async () => {
    server.script = [sse([`data: ${chunk("Hel")}\n\n`], "reset")];
    const stream = await postStream();
    const seen: string[] = [];
    const error = await (async () => {
      for await (const c of stream) seen.push(c.choices[0]?.delta.content ?? "");
    })().catch((e: unknown) => e);
    expect(seen).toEqual(["Hel"]);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toMatch(/connection broke after 1 chunk/);
  });

  it("raises StreamError for a chunk that is not JSON", { timeout: 3_000 }, async () => {
    server.script = [sse([`data: ${chunk("ok")}\n\n`, 'data: {"id": "c1", "choices": [\n\n', "data: [DONE]\n\n"])];
    const error = await collect(await postStream()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamError);
    expect((error as Error).message).toMatch(/chunk 2 is not valid JSON/);
    expect((error as StreamError).event?.data).toBe('{"id": "c1", "choices": [');
    expect((error as StreamError).requestId).toBe("req-stream");
  });

  it("raises StreamError when the stream ends without [DONE]", { timeout: 3_000 }, async () => {
    server.script = [sse([`data: ${chunk("Hel")}\n\n`])];
    const error = await collect(await postStream()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamError);
    expect((error as Error).message).toMatch(/ended after 1 chunk without \[DONE\]/);
  });

  it("raises StreamError for an error event mid-stream, with the event attached", { timeout: 3_000 }, async () => {
    const errorBody = JSON.stringify({ error: { message: "model crashed", type: "server_error" } });
    server.script = [sse([`data: ${chunk("Hel")}\n\n`, `event: error\ndata: ${errorBody}\n\n`])];
    const error = await collect(await postStream()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamError);
    expect((error as Error).message).toMatch(/error event after 1 chunk: model crashed/);
    expect((error as StreamError).event).toMatchObject({ event: "error", data: errorBody });
  });

  it("raises StreamError for an error object in a data line, in the string form too", { timeout: 3_000 }, async () => {
    server.script = [sse([`data: ${chunk("Hel")}\n\n`, 'data: {"error": "PII detected"}\n\n'])];
    const error = await collect(await postStream()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamError);
    expect((error as Error).message).toMatch(/error in the stream after 1 chunk: PII detected/);
  });
});

describe("transport behaviour", () => {
  it("sends the key, the user agent and per-request headers; never puts the key in an error", async () => {
    server.script = [json(401, { error: { message: `invalid key ${API_KEY}`, type: "auth" } })];
    const error = await postJSON({ headers: { "x-extra": "1" } }).catch((e: unknown) => e);
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(server.requests[0]?.headers["user-agent"]).toBe("chatwire/core-test/0.0.0");
    expect(server.requests[0]?.headers["x-extra"]).toBe("1");
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).not.toContain(API_KEY);
    expect((error as Error).message).toMatch(/Check the API key \(TEST_API_KEY\)/);
  });

  it("refuses an invalid request before any network call, naming the JSON path", async () => {
    const error = await client()
      .postJSON({
        path: "/v1/chat/completions",
        body: { model: "m", messages: [{ role: "robot", content: "hi" }], temperature: 9 },
        what: "test chat request",
        requestSchema: "ChatCompletionRequest",
        responseSchema: "ChatCompletion",
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(["$.messages[0]", "$.temperature"]),
    );
    expect((error as Error).message).toMatch(/Nothing was sent/);
    expect(server.requests).toHaveLength(0);
  });

  it("rejects a response that breaks the spec in strict mode, and passes it in warn mode", async () => {
    const broken = { ...completion, choices: [{ index: 0, message: { role: "assistant", content: 5 } }] };
    server.script = [json(200, broken), json(200, broken)];
    const error = await postJSON().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).path).toBe("$.choices[0].message.content");
    const warnings: string[] = [];
    await expect(
      postJSON({ validation: "warn" }, { logger: { warn: (m: string) => warnings.push(m) } }),
    ).resolves.toEqual(broken);
    expect(warnings[0]).toMatch(/choices\[0\]\.message\.content/);
  });

  it("aborts through the caller's signal with APIUserAbortError", { timeout: 3_000 }, async () => {
    server.script = [() => {}];
    const controller = new AbortController();
    const pending = postJSON({ signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toBeInstanceOf(APIUserAbortError);
  });

  it("stops listening to the caller's signal once a call is over", async () => {
    server.script = [json(200, completion), json(200, completion), json(400, { error: "bad" })];
    const signal = new AbortController().signal;
    await postJSON({ signal });
    await postJSON({ signal });
    await postJSON({ signal }).catch(() => {});
    expect(getEventListeners(signal, "abort")).toHaveLength(0);
  });

  it("frees the connection when the reader breaks out of a stream", { timeout: 3_000 }, async () => {
    server.script = [sse([`data: ${chunk("a")}\n\n`, `data: ${chunk("b")}\n\n`], "stall")];
    const stream = await postStream();
    for await (const _ of stream) break;
    await expect.poll(() => server.closedMidStream.length, { timeout: 1_000 }).toBe(1);
    await expect(stream.finalCompletion()).rejects.toThrow(/not read to the end/);
  });

  it("aborts a running stream through stream.controller", { timeout: 3_000 }, async () => {
    server.script = [sse([`data: ${chunk("a")}\n\n`], "stall")];
    const stream = await postStream();
    const error = await (async () => {
      for await (const _ of stream) stream.controller.abort();
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIUserAbortError);
  });

  it("refuses to read a stream twice, and tee() gives two readers", { timeout: 3_000 }, async () => {
    server.script = [sse([`data: ${chunk("a")}\n\n`, `data: ${chunk("b")}\n\n`, "data: [DONE]\n\n"])];
    const stream = await postStream();
    const [left, right] = stream.tee();
    expect(() => stream[Symbol.asyncIterator]()).toThrow(/already been read/);
    const [a, b] = await Promise.all([collect(left), collect(right)]);
    expect(a).toEqual(b);
    expect(a).toHaveLength(2);
  });
});
