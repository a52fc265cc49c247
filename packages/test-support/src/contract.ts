import { readFileSync } from "node:fs";
import {
  type AnyChatCompletionChunk,
  type APIError,
  type APIPromise,
  APITimeoutError,
  APIUserAbortError,
  accumulateChunks,
  type ChatCompletion,
  type Dialect,
  MissingAPIKeyError,
  type RequestOptions,
  StreamError,
  type StreamPromise,
  ValidationError,
} from "@chatwire/core";
import { errorClassForStatus } from "@chatwire/core/internal";
import { delay, HttpResponse } from "msw";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useMockAPI } from "./mock-api.js";
import { dataEvent, sseResponse, stallingEventStream } from "./sse.js";

type Body = Record<string, unknown>;

/** What the provider-contract suite needs to know about one provider package. */
export interface ProviderContract<Client> {
  dialect: Dialect;
  /** The exported client class, as the missing-key message names it. */
  clientName: string;
  /** The constructor option carrying the key (`apiKey`, `modelAccessKey`). */
  keyOption: string;
  newClient(options: Record<string, unknown>): Client;
  complete(client: Client, body: Body, options?: RequestOptions): APIPromise<ChatCompletion>;
  stream(client: Client, body: Body, options?: RequestOptions): StreamPromise<unknown>;
  /** The wire chunk inside one item the client yields (the item itself, or `item.data`). */
  chunkOf(item: unknown): AnyChatCompletionChunk;
  /** A small valid request. */
  request: Body;
  /** A request the spec refuses, and the JSON path the error must name. */
  invalid: { body: Body; path: string };
  /** A response shaped like the provider's documentation. */
  completion: ChatCompletion;
  /** A stream shaped like the provider's documentation, ending with its finish chunk. */
  chunks: readonly unknown[];
  /** The provider's error body carrying `message`. */
  errorBody(message: string): unknown;
  /** The package README, whose "Environment variables" table `environment` must cover row by row. */
  readme: URL;
  /** What the client sends in each environment: every variable of the README's table in at least one case. */
  environment: readonly EnvironmentCase[];
  /** Error bodies in each shape the provider sends, with the `code`, `param` and `type` each carries. */
  errorShapes: readonly ErrorShapeCase[];
}

/** One environment, and the chat request the client sends in it. */
export interface EnvironmentCase {
  /** What the case shows. */
  name: string;
  /** The variables set; every other variable of the README's table is unset. */
  env: Record<string, string>;
  /** Constructor options besides the environment (a key or base URL, to show which wins). */
  options?: Record<string, unknown>;
  /**
   * Where the chat request goes: the URL the provider's Python SDK uses in this environment, unless
   * `python` says otherwise. Absent: no request at all, the constructor throws MissingAPIKeyError.
   */
  url?: string;
  /** The key sent as `Authorization: Bearer <key>`, as all three Python SDKs send it. */
  key?: string;
  /** How the Python SDK differs in this case, where it does (the README says so too). */
  python?: string;
  /** The mock API waits this long before it answers, for variables that would set a timeout. */
  replyDelayMs?: number;
}

/** An error body as the provider sends it, and the properties the error must carry. */
export interface ErrorShapeCase {
  /** The shape, e.g. `OpenAI {"error": {...}}`. */
  name: string;
  status: number;
  /** Sent as JSON, or as `text/plain` when it is a string. */
  body: unknown;
  /** The expected `code`, `param` and `type`; a field left out must be undefined. */
  code?: string | number | null;
  param?: string | null;
  type?: string;
}

/** The variable names in the first column of a README's "Environment variables" table. */
function readmeEnvironmentTable(readme: URL): string[] {
  const text = readFileSync(readme, "utf8");
  const section = /^## Environment variables\n([\s\S]*?)(?=^## )/m.exec(text)?.[1];
  if (!section) throw new Error(`${readme.pathname} has no "## Environment variables" section`);
  const rows = section.split("\n").filter((line) => /^\|\s*`/.test(line));
  return rows.flatMap((row) => [...(row.split("|")[1] ?? "").matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1] ?? ""));
}

const BASE_URL = "https://api.chatwire.test";
const KEY = "sk-contract-test-key";

const withEnv = async (vars: Record<string, string | undefined>, run: () => Promise<void> | void) => {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  const set = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  set(vars);
  try {
    await run();
  } finally {
    set(saved);
  }
};

/**
 * The behaviour every chatwire provider client shares, asserted against an msw mock of the
 * provider: key and base URL resolution from options and from every environment variable of the
 * README's table, the JSON and streamed happy paths, one error class per HTTP status with the
 * body's `code`, `param` and `type`, mid-stream errors, abort, retries honouring `retry-after`,
 * request validation and per-request options.
 */
export function describeProviderContract<Client>(contract: ProviderContract<Client>): void {
  const { dialect } = contract;
  const url = `${BASE_URL}${dialect.chat_path}`;
  const client = (options: Record<string, unknown> = {}) =>
    contract.newClient({ [contract.keyOption]: KEY, baseURL: BASE_URL, ...options });
  const items = async (stream: AsyncIterable<unknown>) => {
    const seen: unknown[] = [];
    for await (const item of stream) seen.push(item);
    return seen;
  };

  describe(`${contract.clientName} provider contract`, () => {
    // Inside the describe, so the mock server lives only while these tests run.
    const api = useMockAPI(url);
    it(`refuses to start without a key, naming ${dialect.api_key_env}`, async () => {
      await withEnv({ [dialect.api_key_env]: undefined }, () => {
        const attempt = () => contract.newClient({ baseURL: BASE_URL });
        expect(attempt).toThrow(MissingAPIKeyError);
        expect(attempt).toThrow(dialect.api_key_env);
        expect(attempt).toThrow(`new ${contract.clientName}({ ${contract.keyOption}:`);
      });
      expect(api.requests).toHaveLength(0);
    });

    it("posts the request as it is, with auth and user agent, and returns the completion", async () => {
      api.reply(() => HttpResponse.json(contract.completion, { headers: { "x-request-id": "req-123" } }));
      const { data, response, requestId } = await contract.complete(client(), contract.request).withResponse();
      expect(data).toEqual(contract.completion);
      expect(response.status).toBe(200);
      expect(requestId).toBe("req-123");
      const [seen] = api.requests;
      expect(seen?.url).toBe(url);
      expect(seen?.headers.get(dialect.auth.header)).toBe(`${dialect.auth.scheme} ${KEY}`);
      expect(seen?.headers.get("user-agent")).toMatch(new RegExp(`^chatwire/${dialect.id}/\\d+\\.\\d+\\.\\d+`));
      expect(seen?.body).toMatchObject(contract.request);
    });

    it("streams: awaited first, or iterated directly, with the same chunks and final completion", async () => {
      api.reply(() => sseResponse(contract.chunks, { pieceSize: 7 }));
      const stream = await contract.stream(client(), contract.request);
      const awaited = await items(stream);
      const direct = await items(contract.stream(client(), contract.request));
      expect(awaited.map(contract.chunkOf)).toEqual(contract.chunks);
      expect(direct).toEqual(awaited);
      expect(await stream.finalCompletion()).toEqual(accumulateChunks(awaited.map(contract.chunkOf)));
      expect(api.requests[0]?.body).toMatchObject({ ...contract.request, stream: true });
    });

    it.each([400, 401, 403, 404, 409, 422, 429, 500, 503])("raises the typed error for HTTP %i", async (status) => {
      api.reply(() =>
        HttpResponse.json(contract.errorBody(`the provider says ${status}`) as Body, {
          status,
          headers: { "x-request-id": `req-${status}` },
        }),
      );
      const error = await contract.complete(client({ maxRetries: 0 }), contract.request).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(errorClassForStatus(status));
      expect(error).toMatchObject({ status, requestId: `req-${status}` });
      expect((error as Error).message).toContain(`the provider says ${status}`);
      expect((error as Error).message).not.toContain(KEY);
    });

    it("raises the typed error when a stream is refused", async () => {
      api.reply(() => HttpResponse.json(contract.errorBody("model not found") as Body, { status: 404 }));
      const error = await items(contract.stream(client(), contract.request)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(errorClassForStatus(404));
      expect((error as Error).message).toContain("model not found");
    });

    it("turns an error sent inside the stream into a StreamError, after the chunks before it", async () => {
      const [first] = contract.chunks;
      api.reply(() => sseResponse([first, contract.errorBody("overloaded mid-stream")], { done: false }));
      const seen: unknown[] = [];
      const error = await (async () => {
        for await (const item of contract.stream(client(), contract.request)) seen.push(item);
      })().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StreamError);
      expect((error as Error).message).toContain("overloaded mid-stream");
      expect(seen.map(contract.chunkOf)).toEqual([first]);
    });

    it("raises StreamError for a chunk that is not JSON, and for a stream cut short", async () => {
      const [first] = contract.chunks;
      api.reply(() => sseResponse([first, "{not json"], { done: false }));
      await expect(items(contract.stream(client(), contract.request))).rejects.toThrow(StreamError);
      api.reply(() => sseResponse([first], { done: false }));
      await expect(items(contract.stream(client(), contract.request))).rejects.toThrow(StreamError);
    });

    it("stops a stream when the caller aborts, with APIUserAbortError", async () => {
      const [first] = contract.chunks;
      api.reply((request) => stallingEventStream([dataEvent(first)], request));
      const controller = new AbortController();
      const seen: unknown[] = [];
      const error = await (async () => {
        for await (const item of contract.stream(client(), contract.request, { signal: controller.signal })) {
          seen.push(item);
          controller.abort();
        }
      })().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(APIUserAbortError);
      expect(seen).toHaveLength(1);
    });

    it("does not send a request whose signal is already aborted", async () => {
      api.json(contract.completion);
      const controller = new AbortController();
      controller.abort();
      await expect(contract.complete(client(), contract.request, { signal: controller.signal })).rejects.toThrow(
        APIUserAbortError,
      );
      expect(api.requests).toHaveLength(0);
    });

    afterEach(() => {
      vi.restoreAllMocks();
    });

    it("retries after 429, waiting as long as retry-after says", async () => {
      api.reply((_request, _body, seen) =>
        seen.length === 1
          ? HttpResponse.json(contract.errorBody("slow down") as Body, { status: 429, headers: { "retry-after": "1" } })
          : HttpResponse.json(contract.completion),
      );
      const timers = vi.spyOn(globalThis, "setTimeout");
      const completion = await contract.complete(client(), contract.request);
      expect(completion).toEqual(contract.completion);
      expect(api.requests).toHaveLength(2);
      expect(timers.mock.calls.map(([, ms]) => ms)).toContain(1000);
    });

    it("gives up after maxRetries with the last error", async () => {
      api.reply(() =>
        HttpResponse.json(contract.errorBody("busy") as Body, { status: 503, headers: { "retry-after": "0" } }),
      );
      await expect(contract.complete(client(), contract.request, { maxRetries: 1 })).rejects.toThrow("busy");
      expect(api.requests).toHaveLength(2);
    });

    it("refuses an invalid request before sending it, naming the field", async () => {
      api.json(contract.completion);
      const error = await contract.complete(client(), contract.invalid.body).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).path).toBe(contract.invalid.path);
      expect((error as Error).message).toContain(contract.invalid.path);
      const streamError = await items(contract.stream(client(), contract.invalid.body)).catch((e: unknown) => e);
      expect(streamError).toBeInstanceOf(ValidationError);
      expect(api.requests).toHaveLength(0);
    });

    it("takes per-request headers and timeout", async () => {
      api.reply(async (request) => {
        if (request.headers.get("x-slow") === "yes") await delay(1_000);
        return HttpResponse.json(contract.completion);
      });
      await contract.complete(client({ defaultHeaders: { "x-team": "a" } }), contract.request, {
        headers: { "x-trace": "t-1", "x-team": null },
      });
      expect(api.requests[0]?.headers.get("x-trace")).toBe("t-1");
      expect(api.requests[0]?.headers.has("x-team")).toBe(false);
      await expect(
        contract.complete(client(), contract.request, { headers: { "x-slow": "yes" }, timeout: 20, maxRetries: 0 }),
      ).rejects.toThrow(APITimeoutError);
    });

    it.each(contract.errorShapes.map((shape) => [shape.name, shape] as const))(
      "carries code, param and type from an error body shaped %s",
      async (_, shape) => {
        api.reply(() =>
          typeof shape.body === "string"
            ? new HttpResponse(shape.body, {
                status: shape.status,
                headers: { "content-type": "text/plain", "x-request-id": "req-shape" },
              })
            : HttpResponse.json(shape.body as Body, { status: shape.status, headers: { "x-request-id": "req-shape" } }),
        );
        const error = await contract.complete(client({ maxRetries: 0 }), contract.request).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(errorClassForStatus(shape.status));
        const { status, requestId, requestID, code, param, type } = error as APIError;
        expect({ status, requestId, requestID, code, param, type }).toStrictEqual({
          status: shape.status,
          requestId: "req-shape",
          requestID: "req-shape",
          code: shape.code,
          param: shape.param,
          type: shape.type,
        });
      },
    );
  });

  describe(`${contract.clientName} environment variables`, () => {
    // Every case sends to its own URL, so this mock answers anywhere and records where.
    const anywhere = useMockAPI("*");
    const documented = readmeEnvironmentTable(contract.readme);
    const unsetAll = Object.fromEntries(documented.map((name) => [name, undefined]));

    it("has a README table naming every variable the client reads, each row shown by a case", () => {
      const read = [dialect.api_key_env, ...dialect.base_url_env.map((env) => env.name)];
      expect(documented).toEqual(expect.arrayContaining(read));
      const shown = new Set(contract.environment.flatMap((c) => Object.keys(c.env)));
      expect([...new Set(documented)].sort()).toEqual([...shown].sort());
    });

    it.each(contract.environment.map((c) => [c.name, c] as const))("%s", async (_, c) => {
      await withEnv({ ...unsetAll, ...c.env }, async () => {
        if (c.url === undefined) {
          expect(() => contract.newClient(c.options ?? {})).toThrow(MissingAPIKeyError);
          return;
        }
        anywhere.reply(async () => {
          if (c.replyDelayMs) await delay(c.replyDelayMs);
          return HttpResponse.json(contract.completion);
        });
        await contract.complete(contract.newClient(c.options ?? {}), contract.request);
      });
      if (c.url === undefined) {
        expect(anywhere.requests).toHaveLength(0);
        return;
      }
      expect(anywhere.requests.map((r) => r.url)).toEqual([c.url]);
      expect(anywhere.requests[0]?.headers.get("authorization")).toBe(`Bearer ${c.key}`);
    });
  });
}
