import { setTimeout as sleep } from "node:timers/promises";
import { type AnyChatCompletionChunk, accumulateChunks, type DialectId } from "@chatwire/core";
import { dialectValidators } from "@chatwire/core/validators";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJSON, readChunks, startTestServer, type TestServer } from "../test-helpers.js";

const MODEL = "chatwire-tiny";
const PATHS: Record<DialectId, string> = {
  octoai: "/octoai/v1/chat/completions",
  predictionguard: "/predictionguard/chat/completions",
  gradient: "/gradient/v1/chat/completions",
};
const DIALECTS = Object.keys(PATHS) as DialectId[];
const MESSAGES = [{ role: "user", content: "Hello there, tell me about the river." }];

type Json = Record<string, unknown>;
interface Choice extends Json {
  index: number;
  delta?: Json;
  message?: Json;
  finish_reason: string | null;
}
interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}
interface TokenLogprob {
  token: string;
  logprob: number;
  top_logprobs: { token: string; logprob: number }[];
}

const choicesOf = (chunk: Json) => chunk.choices as Choice[];

/** Asserts each chunk validates with the dialect's chunk schema. */
function expectValidChunks(dialect: DialectId, chunks: Json[]): void {
  for (const chunk of chunks) {
    const result = dialectValidators[dialect].chunk.safeParse(chunk);
    expect(result.success, `${dialect} chunk ${JSON.stringify(chunk)}: ${result.error?.message}`).toBe(true);
  }
}

function expectValidResponse(dialect: DialectId, body: unknown): void {
  const result = dialectValidators[dialect].response.safeParse(body);
  expect(result.success, `${dialect} response ${JSON.stringify(body)}: ${result.error?.message}`).toBe(true);
}

/** Stream invariants every dialect keeps: role first, one finish per choice. Returns each choice's text. */
function expectWellFormedStream(chunks: Json[], n = 1): string[] {
  const texts = Array.from({ length: n }, () => "");
  const seen = new Set<number>();
  const finishes = new Array<number>(n).fill(0);
  for (const chunk of chunks) {
    for (const choice of choicesOf(chunk)) {
      const delta = choice.delta as Json;
      if (!seen.has(choice.index)) {
        seen.add(choice.index);
        expect(delta.role).toBe("assistant");
      }
      if (typeof delta.content === "string") texts[choice.index] += delta.content;
      if (choice.finish_reason != null) finishes[choice.index] = (finishes[choice.index] ?? 0) + 1;
    }
  }
  expect([...seen].sort()).toEqual(Array.from({ length: n }, (_, index) => index));
  expect(finishes).toEqual(new Array(n).fill(1));
  return texts;
}

async function completion(server: TestServer, dialect: DialectId, body: Json): Promise<Json> {
  const response = await postJSON(server.url + PATHS[dialect], { model: MODEL, messages: MESSAGES, ...body });
  const json = (await response.json()) as Json;
  expect(response.status, JSON.stringify(json)).toBe(200);
  expectValidResponse(dialect, json);
  return json;
}

async function stream(server: TestServer, dialect: DialectId, body: Json): Promise<Json[]> {
  const response = await postJSON(server.url + PATHS[dialect], {
    model: MODEL,
    messages: MESSAGES,
    stream: true,
    ...body,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const { chunks, done } = await readChunks(response);
  expect(done).toBe(true);
  expectValidChunks(dialect, chunks);
  return chunks;
}

const firstChoice = (body: Json) => choicesOf(body)[0] as Choice;
const contentOf = (body: Json) => (firstChoice(body).message as Json).content as string;

describe("reference server", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe("service routes", () => {
    it("reports ok on /health once ready", async () => {
      const response = await fetch(`${server.url}/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: "ok" });
    });

    it("lists the model on /v1/models", async () => {
      const response = await fetch(`${server.url}/v1/models`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { object: string; data: { id: string }[] };
      expect(body.object).toBe("list");
      expect(body.data.map((model) => model.id)).toContain(MODEL);
    });

    it("serves Prometheus metrics", async () => {
      await completion(server, "gradient", { max_tokens: 3, seed: 1 });
      const response = await fetch(`${server.url}/metrics`);
      expect(response.status).toBe(200);
      const text = await response.text();
      for (const name of [
        "chatwire_requests_total",
        "chatwire_tokens_total",
        "chatwire_active_sequences",
        "chatwire_queue_depth",
        "chatwire_time_to_first_token_seconds",
        "chatwire_generation_tokens_per_second",
      ]) {
        expect(text).toContain(`# TYPE ${name}`);
      }
      expect(text).toMatch(/chatwire_requests_total\{[^}]*status="200"[^}]*\} [1-9]/);
      expect(text).toMatch(/chatwire_tokens_total\{kind="completion"\} [1-9]/);
    });

    it("answers 404 on an unknown route", async () => {
      const response = await fetch(`${server.url}/nope`);
      expect(response.status).toBe(404);
    });
  });

  describe.each(DIALECTS)("%s dialect", (dialect) => {
    it("answers unstreamed with a valid completion and consistent usage", async () => {
      const body = await completion(server, dialect, { max_tokens: 12, seed: 3 });
      expect(body.object).toBe("chat.completion");
      expect(body.model).toBe(MODEL);
      const choice = firstChoice(body);
      expect((choice.message as Json).role).toBe("assistant");
      expect(typeof contentOf(body)).toBe("string");
      expect(["stop", "length"]).toContain(choice.finish_reason);
      const usage = body.usage as Usage;
      expect(usage.prompt_tokens).toBeGreaterThan(0);
      expect(usage.completion_tokens).toBeGreaterThan(0);
      expect(usage.completion_tokens).toBeLessThanOrEqual(12);
      expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
    });

    it("streams valid chunks: role first, one finish, [DONE] last", async () => {
      const chunks = await stream(server, dialect, { max_tokens: 12, seed: 3 });
      const [text] = expectWellFormedStream(chunks);
      const unstreamed = await completion(server, dialect, { max_tokens: 12, seed: 3 });
      expect(text).toBe(contentOf(unstreamed));
      for (const chunk of chunks) expect(chunk.id).toBe(chunks[0]?.id);
    });
  });

  describe("dialect-specific streams", () => {
    it("gradient with include_usage ends with a usage chunk with empty choices", async () => {
      const chunks = await stream(server, "gradient", {
        max_tokens: 8,
        seed: 5,
        stream_options: { include_usage: true },
      });
      expectWellFormedStream(chunks);
      const last = chunks.at(-1) as Json;
      expect(last.choices).toEqual([]);
      const usage = last.usage as Usage;
      expect(usage.prompt_tokens).toBeGreaterThan(0);
      expect(usage.completion_tokens).toBeGreaterThan(0);
      expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
      for (const chunk of chunks.slice(0, -1)) expect(chunk.usage ?? null).toBeNull();
    });

    it("gradient without include_usage sends no usage", async () => {
      const chunks = await stream(server, "gradient", { max_tokens: 4, seed: 5 });
      for (const chunk of chunks) {
        expect(chunk.usage ?? null).toBeNull();
        expect(choicesOf(chunk)).toHaveLength(1);
      }
    });

    it("octoai with include_usage puts the usage on the chunk with finish_reason", async () => {
      const chunks = await stream(server, "octoai", {
        max_tokens: 8,
        seed: 5,
        stream_options: { include_usage: true },
      });
      expectWellFormedStream(chunks);
      const last = chunks.at(-1) as Json;
      expect(firstChoice(last).finish_reason).not.toBeNull();
      const usage = last.usage as Usage;
      expect(usage.completion_tokens).toBeGreaterThan(0);
      expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
      for (const chunk of chunks.slice(0, -1)) expect(chunk.usage ?? null).toBeNull();
    });

    it("predictionguard repeats the text in generated_text and sends numeric logprobs", async () => {
      const chunks = await stream(server, "predictionguard", { max_completion_tokens: 10, seed: 9 });
      const [text] = expectWellFormedStream(chunks);
      expect(text).not.toBe("");
      for (const chunk of chunks) {
        const choice = firstChoice(chunk);
        expect(typeof choice.logprobs).toBe("number");
        expect(choice.logprobs as number).toBeLessThanOrEqual(0);
      }
      const last = firstChoice(chunks.at(-1) as Json);
      expect(last.finish_reason).not.toBeNull();
      expect(last.generated_text).toBe(text);
      for (const chunk of chunks.slice(0, -1)) expect(firstChoice(chunk).generated_text ?? null).toBeNull();
    });
  });

  describe("sampling", () => {
    it("streams n = 2 choices, each started and finished once", async () => {
      const chunks = await stream(server, "gradient", { n: 2, max_tokens: 10, temperature: 1, seed: 11 });
      const texts = expectWellFormedStream(chunks, 2);
      for (const text of texts) expect(text).not.toBe("");
    });

    it("answers n = 2 unstreamed with two choices", async () => {
      const body = await completion(server, "gradient", { n: 2, max_tokens: 6, seed: 11 });
      expect(choicesOf(body).map((choice) => choice.index)).toEqual([0, 1]);
    });

    it("is deterministic with the same seed at temperature 0", async () => {
      const request = { max_tokens: 20, seed: 42, temperature: 0 };
      const first = contentOf(await completion(server, "gradient", request));
      const second = contentOf(await completion(server, "gradient", request));
      expect(first).not.toBe("");
      expect(second).toBe(first);
    });

    it("is deterministic with the same seed at temperature 1", async () => {
      const request = { max_tokens: 20, seed: 43, temperature: 1 };
      const first = contentOf(await completion(server, "gradient", request));
      const second = contentOf(await completion(server, "gradient", request));
      expect(second).toBe(first);
    });

    it("stops at max_tokens with finish_reason length", async () => {
      const body = await completion(server, "gradient", { max_tokens: 5, seed: 42, temperature: 0 });
      expect(firstChoice(body).finish_reason).toBe("length");
      expect((body.usage as Usage).completion_tokens).toBe(5);
    });

    it("keeps to max_tokens when it cuts a multi-byte character", async () => {
      // Token 231 is the byte <0xE2>, the first of three bytes of a character such as "€".
      const body = await completion(server, "gradient", { max_tokens: 1, temperature: 0, logit_bias: { "231": 100 } });
      expect(firstChoice(body).finish_reason).toBe("length");
      expect((body.usage as Usage).completion_tokens).toBe(1);
      expect(contentOf(body)).toBe("\uFFFD");
    });

    it("ends before a stop string and never sends it", async () => {
      const request = { max_tokens: 40, seed: 42, temperature: 0 };
      const full = contentOf(await completion(server, "gradient", request));
      const words = full.split(" ").filter((word) => word.length >= 2);
      expect(words.length).toBeGreaterThan(4);
      const stop = words[Math.floor(words.length / 2)] as string;
      const expected = full.slice(0, full.indexOf(stop));

      const body = await completion(server, "gradient", { ...request, stop: [stop] });
      const text = contentOf(body);
      expect(text).toBe(expected);
      expect(text).not.toContain(stop);
      expect(firstChoice(body).finish_reason).toBe("stop");

      const chunks = await stream(server, "gradient", { ...request, stop });
      const [streamed] = expectWellFormedStream(chunks);
      expect(streamed).toBe(expected);
      expect(firstChoice(chunks.at(-1) as Json).finish_reason).toBe("stop");
    });
  });

  describe("logprobs", () => {
    it("reports one entry per completion token with top_logprobs", async () => {
      const body = await completion(server, "gradient", {
        max_tokens: 12,
        seed: 7,
        logprobs: true,
        top_logprobs: 3,
      });
      const entries = (firstChoice(body).logprobs as { content: TokenLogprob[] }).content;
      expect(entries).toHaveLength((body.usage as Usage).completion_tokens);
      let sum = 0;
      for (const entry of entries) {
        expect(entry.logprob).toBeLessThanOrEqual(0);
        expect(entry.top_logprobs).toHaveLength(3);
        for (const top of entry.top_logprobs) expect(top.logprob).toBeLessThanOrEqual(0);
        sum += entry.logprob;
      }
      expect(sum).toBeLessThan(0);
    });

    it("streams logprobs that add up to the streamed usage", async () => {
      const chunks = await stream(server, "gradient", {
        max_tokens: 12,
        seed: 7,
        logprobs: true,
        top_logprobs: 3,
        stream_options: { include_usage: true },
      });
      expectWellFormedStream(chunks);
      const entries = chunks.flatMap((chunk) =>
        choicesOf(chunk).flatMap((choice) => (choice.logprobs as { content: TokenLogprob[] } | null)?.content ?? []),
      );
      const usage = (chunks.at(-1) as Json).usage as Usage;
      expect(entries.length).toBe(usage.completion_tokens);
      for (const entry of entries) {
        expect(entry.logprob).toBeLessThanOrEqual(0);
        expect(entry.top_logprobs).toHaveLength(3);
      }
    });

    it("sends logprobs: null when they were not asked for", async () => {
      const body = await completion(server, "gradient", { max_tokens: 4, seed: 7 });
      expect(firstChoice(body).logprobs).toBeNull();
    });
  });

  describe("structured output", () => {
    const schema = {
      type: "object",
      properties: { name: { type: "string" }, age: { type: "number" } },
      required: ["name", "age"],
    };

    it.each(["gradient", "octoai"] as const)("%s follows a json_schema response_format", async (dialect) => {
      const body = await completion(server, dialect, {
        max_tokens: 200,
        seed: 13,
        response_format: { type: "json_schema", json_schema: { name: "person", schema } },
      });
      expect(firstChoice(body).finish_reason).toBe("stop");
      const parsed = JSON.parse(contentOf(body)) as Json;
      expect(typeof parsed.name).toBe("string");
      expect(typeof parsed.age).toBe("number");
    });

    it("follows json_object", async () => {
      const body = await completion(server, "octoai", {
        max_tokens: 200,
        seed: 13,
        response_format: { type: "json_object" },
      });
      expect(firstChoice(body).finish_reason).toBe("stop");
      expect(() => JSON.parse(contentOf(body))).not.toThrow();
    });

    it("refuses a json_schema whose $ref points outside its $defs", async () => {
      const response = await postJSON(server.url + PATHS.gradient, {
        model: MODEL,
        messages: MESSAGES,
        response_format: {
          type: "json_schema",
          json_schema: { name: "broken", schema: { $defs: { a: { type: "string" } }, $ref: "#/nowhere" } },
        },
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { param: string; message: string } };
      expect(body.error.param).toBe("response_format.json_schema.schema.$ref");
      expect(body.error.message).toContain("#/nowhere");
    });
  });

  describe("tools", () => {
    const tools = [
      {
        type: "function",
        function: {
          name: "get_weather",
          description: "The weather in a city.",
          parameters: {
            type: "object",
            properties: { city: { type: "string" }, days: { type: "integer" } },
            required: ["city", "days"],
          },
        },
      },
    ];
    const request = { tools, tool_choice: "required", max_tokens: 200, seed: 17 };

    it("calls the tool when tool_choice is required", async () => {
      const body = await completion(server, "gradient", request);
      const choice = firstChoice(body);
      expect(choice.finish_reason).toBe("tool_calls");
      const message = choice.message as Json;
      expect(message.content).toBeNull();
      const calls = message.tool_calls as { id: string; type: string; function: { name: string; arguments: string } }[];
      expect(calls).toHaveLength(1);
      expect(calls[0]?.type).toBe("function");
      expect(calls[0]?.id).not.toBe("");
      expect(calls[0]?.function.name).toBe("get_weather");
      const args = JSON.parse(calls[0]?.function.arguments as string) as Json;
      expect(typeof args.city).toBe("string");
      expect(Number.isInteger(args.days)).toBe(true);
    });

    it("streams the tool call in deltas that accumulate to a call", async () => {
      const chunks = await stream(server, "gradient", request);
      expectWellFormedStream(chunks);
      const accumulated = accumulateChunks(chunks as unknown as AnyChatCompletionChunk[]);
      const choice = accumulated.choices[0];
      expect(choice?.finish_reason).toBe("tool_calls");
      const call = choice?.message.tool_calls?.[0];
      expect(call?.function.name).toBe("get_weather");
      const args = JSON.parse(call?.function.arguments as string) as Json;
      expect(typeof args.city).toBe("string");
    });

    it("answers in text when tool_choice is none", async () => {
      const body = await completion(server, "gradient", { ...request, tool_choice: "none", max_tokens: 5 });
      expect(firstChoice(body).message?.tool_calls).toBeUndefined();
      expect(typeof contentOf(body)).toBe("string");
    });

    it("rejects a named tool_choice that is not in tools", async () => {
      const response = await postJSON(server.url + PATHS.gradient, {
        model: MODEL,
        messages: MESSAGES,
        tools,
        tool_choice: { type: "function", function: { name: "nope" } },
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { param: string } };
      expect(body.error.param).toBe("tool_choice");
    });
  });

  describe("errors", () => {
    it("answers 400 naming the field, in Gradient's error body", async () => {
      const response = await postJSON(server.url + PATHS.gradient, {
        model: MODEL,
        messages: MESSAGES,
        temperature: 5,
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as Json;
      expect(dialectValidators.gradient.error.safeParse(body).success).toBe(true);
      const error = body.error as Json;
      expect(Object.keys(error).sort()).toEqual(["code", "message", "param", "type"]);
      expect(error.param).toBe("temperature");
      expect(error.type).toBe("invalid_request_error");
      expect(error.message).toContain("temperature");
    });

    it("answers 400 to stream_options without stream where the dialect says so, and ignores it elsewhere", async () => {
      const body = { model: MODEL, messages: MESSAGES, max_tokens: 2, stream_options: { include_usage: true } };
      const refused = await postJSON(server.url + PATHS.gradient, body);
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { error: { param: string } }).error.param).toBe("stream_options");
      expect((await postJSON(server.url + PATHS.gradient, { ...body, stream: true })).status).toBe(200);
      expect((await postJSON(server.url + PATHS.octoai, body)).status).toBe(200);
    });

    it("answers 400 with a string error in Prediction Guard's body", async () => {
      const response = await postJSON(server.url + PATHS.predictionguard, {
        model: MODEL,
        messages: MESSAGES,
        temperature: 5,
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as Json;
      expect(dialectValidators.predictionguard.error.safeParse(body).success).toBe(true);
      expect(typeof body.error).toBe("string");
      expect(body.error).toContain("temperature");
    });

    it("answers 400 on a body that is not JSON", async () => {
      const response = await postJSON(server.url + PATHS.octoai, "{not json");
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string } };
      expect(body.error.code).toBe("invalid_json");
    });

    it("answers 400 when messages are missing", async () => {
      const response = await postJSON(server.url + PATHS.gradient, { model: MODEL });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { param: string } };
      expect(body.error.param).toBe("messages");
    });

    it("answers 404 on an unknown model", async () => {
      const response = await postJSON(server.url + PATHS.gradient, { model: "gpt-nope", messages: MESSAGES });
      expect(response.status).toBe(404);
      const body = (await response.json()) as { error: { code: string; param: string } };
      expect(body.error.code).toBe("model_not_found");
      expect(body.error.param).toBe("model");
    });

    it("answers 413 on a body over the limit", async () => {
      const big = { model: MODEL, messages: [{ role: "user", content: "x".repeat(1024 * 1024 + 10) }] };
      const response = await postJSON(server.url + PATHS.gradient, big);
      expect(response.status).toBe(413);
      const body = (await response.json()) as { error: { code: string } };
      expect(body.error.code).toBe("request_too_large");
    });

    it("answers 405 on GET of a chat route", async () => {
      const response = await fetch(server.url + PATHS.gradient);
      expect(response.status).toBe(405);
    });

    it("answers 400 when n exceeds the sequences", async () => {
      const response = await postJSON(server.url + PATHS.gradient, { model: MODEL, messages: MESSAGES, n: 5 });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { param: string } };
      expect(body.error.param).toBe("n");
    });
  });

  describe("disconnect", () => {
    it("frees the sequence when the client goes away mid-stream", async () => {
      const controller = new AbortController();
      const response = await postJSON(
        server.url + PATHS.gradient,
        { model: MODEL, messages: MESSAGES, stream: true, ignore_eos: true, max_tokens: 100_000 },
        { signal: controller.signal },
      );
      expect(response.status).toBe(200);
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      for (let read = 0; read < 3; read++) expect((await reader.read()).done).toBe(false);
      controller.abort();
      await reader.cancel().catch(() => {});

      let active = "";
      for (let attempt = 0; attempt < 200; attempt++) {
        const text = await (await fetch(`${server.url}/metrics`)).text();
        active = /^chatwire_active_sequences (\d+)$/m.exec(text)?.[1] ?? "";
        if (active === "0") break;
        await sleep(25);
      }
      expect(active).toBe("0");
      // The server still serves afterwards.
      await completion(server, "gradient", { max_tokens: 3, seed: 1 });
    });
  });

  describe("official openai client", () => {
    it("creates completions, unstreamed and streamed", async () => {
      const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "x", maxRetries: 0 });
      const completion = await client.chat.completions.create({
        model: MODEL,
        messages: [{ role: "user", content: "Hi" }],
        max_tokens: 8,
        seed: 1,
      });
      expect(completion.choices[0]?.message.role).toBe("assistant");
      expect(completion.choices[0]?.message.content).toBeTruthy();
      expect(completion.usage?.completion_tokens).toBeGreaterThan(0);

      const stream = await client.chat.completions.create({
        model: MODEL,
        messages: [{ role: "user", content: "Hi" }],
        max_tokens: 8,
        seed: 1,
        stream: true,
        stream_options: { include_usage: true },
      });
      let text = "";
      let finish: string | null = null;
      let usage: OpenAI.CompletionUsage | null | undefined;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? "";
        finish = chunk.choices[0]?.finish_reason ?? finish;
        usage = chunk.usage ?? usage;
      }
      expect(text).toBe(completion.choices[0]?.message.content);
      expect(finish).not.toBeNull();
      expect(usage?.completion_tokens).toBe(completion.usage?.completion_tokens);

      const models = await client.models.list();
      expect(models.data.map((model) => model.id)).toContain(MODEL);
    });

    it("surfaces a 400 as a BadRequestError", async () => {
      const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "x", maxRetries: 0 });
      await expect(
        client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "Hi" }], temperature: 5 }),
      ).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    });
  });
});

describe("reference server with an API key", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ apiKey: "k", parallel: 1 });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const ask = (headers: Record<string, string>, dialect: DialectId = "gradient") =>
    postJSON(server.url + PATHS[dialect], { model: MODEL, messages: MESSAGES, max_tokens: 2 }, { headers });

  it("answers 401 without a key", async () => {
    const response = await ask({});
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: { type: string } };
    expect(body.error.type).toBe("authentication_error");
  });

  it("answers 401 with a wrong key, in the dialect's error body", async () => {
    const response = await ask({ authorization: "Bearer nope" }, "predictionguard");
    expect(response.status).toBe(401);
    const body = (await response.json()) as Json;
    expect(typeof body.error).toBe("string");
  });

  it("answers 200 with the right key", async () => {
    const response = await ask({ authorization: "Bearer k" });
    expect(response.status).toBe(200);
    expectValidResponse("gradient", await response.json());
  });

  it("keeps /health open without a key", async () => {
    const response = await fetch(`${server.url}/health`);
    expect(response.status).toBe(200);
  });
});

describe("reference server with a full queue", () => {
  let server: TestServer;
  const logged: string[] = [];
  beforeAll(async () => {
    server = await startTestServer({ parallel: 1, maxQueue: 1, log: (_level, line) => logged.push(line) });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("answers 429 with retry-after when every sequence is busy and the queue is full", async () => {
    const controllers = [0, 1, 2].map(() => new AbortController());
    const statuses: number[] = [];
    let rejected: Response | undefined;
    const requests = controllers.map((controller) =>
      postJSON(
        server.url + PATHS.gradient,
        { model: MODEL, messages: MESSAGES, stream: true, ignore_eos: true, max_tokens: 2000 },
        { signal: controller.signal },
      ).then((response) => {
        statuses.push(response.status);
        if (response.status === 429) rejected ??= response;
        return response;
      }),
    );
    try {
      // One streams, one waits for the sequence, one is refused: the refusal comes without waiting.
      await Promise.any(
        requests.map((request) =>
          request.then((response) =>
            response.status === 429 ? response : Promise.reject(new Error(String(response.status))),
          ),
        ),
      );
      expect(rejected?.headers.get("retry-after")).toBe("1");
      const body = (await rejected?.json()) as { error: { type: string; code: string } };
      expect(body.error.type).toBe("rate_limit_error");
      expect(body.error.code).toBe("server_busy");
      expect(statuses.filter((status) => status === 429)).toHaveLength(1);
    } finally {
      for (const controller of controllers) controller.abort();
      await Promise.allSettled(requests);
    }
    // Everything aborted: the server frees its sequence and serves again.
    let active = "";
    for (let attempt = 0; attempt < 200; attempt++) {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      active = /^chatwire_active_sequences (\d+)$/m.exec(text)?.[1] ?? "";
      const queued = /^chatwire_queue_depth (\d+)$/m.exec(text)?.[1] ?? "";
      if (active === "0" && queued === "0") break;
      await sleep(25);
    }
    expect(active).toBe("0");
    const response = await postJSON(server.url + PATHS.gradient, { model: MODEL, messages: MESSAGES, max_tokens: 2 });
    expect(response.status).toBe(200);
    // Clients leaving, while streaming or while queued, are not server errors.
    expect(logged.filter((line) => line.startsWith("error"))).toEqual([]);
  });
});
