import {
  BadRequestError,
  type ChatCompletion,
  dialects,
  PermissionDeniedError,
  type PredictionGuardChatCompletionChunk,
  type PredictionGuardChatCompletionRequest,
  type PredictionGuardInputChecks,
  type PredictionGuardOutputChecks,
  type Stream,
  StreamError,
  ValidationError,
} from "@chatwire/core";
import { describePackageBasics, docSample, sseResponse, useMockAPI } from "@chatwire/test-support";
import { afterEach, describe, expect, expectTypeOf, it, vi } from "vitest";
import { PredictionGuard, type PredictionGuardStreamItem, VERSION } from "./index.js";

type Chunk = PredictionGuardChatCompletionChunk;

const request = {
  model: "Neural-Chat-7B",
  messages: [{ role: "user" as const, content: "How do you feel about the world in general?" }],
};
const defaults = { max_completion_tokens: 100, temperature: 1, top_p: 0.99, top_k: 50 };

// The documented final chunk, preceded by token chunks shaped like the documented one that spell out
// its generated_text, the first with the documented numeric logprobs.
const tokenSample = docSample<Chunk>("pg-chunk-token-with-numeric-logprobs");
const finalChunk = docSample<Chunk>("pg-chunk-final-with-generated-text");
const generatedText = finalChunk.choices[0]?.generated_text ?? "";
const tokenChunk = (content: string, logprobs: number | null): Chunk => ({
  ...tokenSample,
  id: finalChunk.id,
  choices: tokenSample.choices.map((choice) => ({ ...choice, delta: { content }, logprobs })),
});
const docStream = [
  ...(generatedText.match(/\s*\S+/g) ?? []).map((piece, i) =>
    tokenChunk(piece, i === 0 ? (tokenSample.choices[0]?.logprobs ?? null) : -0.01 * i),
  ),
  finalChunk,
];

describe("PredictionGuard chat.completions.create, on documentation-shaped payloads", () => {
  const api = useMockAPI(`${dialects.predictionguard.base_url}${dialects.predictionguard.chat_path}`);
  const client = new PredictionGuard({ apiKey: "pg-test-key" });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("returns the documented completion and sends the Python client's defaults", async () => {
    const completion = docSample<ChatCompletion>("pg-chat-completion-api-reference-basic");
    api.json(completion);
    const result = await client.chat.completions.create(request);
    expect(result).toEqual(completion);
    expect(api.requests[0]?.body).toEqual({ ...request, ...defaults });
  });

  it("streams { data: chunk } items with numeric logprobs, ending with the whole generated_text", async () => {
    api.reply(() => sseResponse(docStream, { pieceSize: 11 }));
    const stream = await client.chat.completions.create({ ...request, stream: true });
    const items: PredictionGuardStreamItem[] = [];
    for await (const item of stream) items.push(item);
    expect(items).toEqual(docStream.map((data) => ({ data })));
    expect(items[0]?.data.choices[0]?.logprobs).toBe(-0.11733246);
    const deltas = items.map((item) => item.data.choices[0]?.delta.content ?? "").join("");
    expect(items.at(-1)?.data.choices[0]?.generated_text).toBe(deltas);
    const final = await stream.finalCompletion();
    expect(final.choices[0]?.message.content).toBe(generatedText);
    expect(final.choices[0]?.finish_reason).toBe("stop");
    // A per-token number is not a response's logprobs object, so none is made up.
    expect(final.choices[0]).not.toHaveProperty("logprobs");
    expect(api.requests[0]?.body).toEqual({ ...request, ...defaults, stream: true });
  });

  it("reads the documented one-chunk stream, and takes generated_text when no delta carried text", async () => {
    const example = docSample<Chunk>("pg-chunk-api-reference-streaming-example");
    api.reply(() => sseResponse([example]));
    const final = await client.chat.completions.create({ ...request, stream: true }).then((s) => s.finalCompletion());
    expect(final.choices[0]?.message.content).toBe(" feel");
    expect(final.choices[0]?.finish_reason).toBe("length");
    api.reply(() => sseResponse([finalChunk]));
    const fromText = await client.chat.completions
      .create({ ...request, stream: true })
      .then((s) => s.finalCompletion());
    expect(fromText.choices[0]?.message.content).toBe(generatedText);
  });

  it("keeps two choices of an n = 2 stream apart", async () => {
    const piece = (index: number, delta: object, finish_reason: string | null = null, text: string | null = null) => ({
      ...tokenSample,
      choices: [{ index, delta, generated_text: text, logprobs: -0.5, finish_reason }],
    });
    api.reply(() =>
      sseResponse([
        piece(0, { role: "assistant", content: "It" }),
        piece(1, { role: "assistant", content: "Lis" }),
        piece(0, { content: " is Lisbon." }),
        piece(1, { content: "bon." }),
        piece(0, {}, "stop", "It is Lisbon."),
        piece(1, {}, "length", "Lisbon."),
      ]),
    );
    const stream = await client.chat.completions.create({ ...request, n: 2, stream: true });
    const final = await stream.finalCompletion();
    expect(final.choices.map((choice) => [choice.index, choice.message.content, choice.finish_reason])).toEqual([
      [0, "It is Lisbon.", "stop"],
      [1, "Lisbon.", "length"],
    ]);
  });

  it("sends the caller's values over the defaults, an explicit null included", async () => {
    api.json(docSample("pg-chat-completion-api-reference-basic"));
    const sample = docSample<PredictionGuardChatCompletionRequest>("pg-request-input-and-output-checks");
    await client.chat.completions.create(sample);
    expect(api.requests[0]?.body).toEqual(sample);
    await client.chat.completions.create({ ...request, temperature: null, top_k: 5 });
    expect(api.requests[1]?.body).toEqual({ ...request, ...defaults, temperature: null, top_k: 5 });
  });

  it("sends the body of Prediction Guard's Python client 2.11, every unset option as null, as written", async () => {
    api.json(docSample("pg-chat-completion-api-reference-basic"));
    const sample = docSample<PredictionGuardChatCompletionRequest>("pg-request-python-client-2-11-nulls");
    await client.chat.completions.create(sample);
    expect(api.requests[0]?.body).toEqual(sample);
  });

  it("streams with output: null, which asks for no output checks", async () => {
    api.reply(() => sseResponse(docStream));
    await client.chat.completions.create({ ...request, output: null, stream: true }).then((s) => s.finalCompletion());
    expect(api.requests[0]?.body).toEqual({ ...request, ...defaults, output: null, stream: true });
  });

  it("sends the deprecated max_tokens as max_completion_tokens, and never max_tokens itself", async () => {
    api.json(docSample("pg-chat-completion-api-reference-basic"));
    await client.chat.completions.create({ ...request, max_tokens: 500 });
    await client.chat.completions.create({ ...request, max_tokens: 500, max_completion_tokens: 20 });
    await client.chat.completions.create({ ...request, max_tokens: null, max_completion_tokens: 20 });
    expect(api.requests.map((seen) => seen.body)).toEqual([
      { ...request, ...defaults, max_completion_tokens: 500 },
      { ...request, ...defaults, max_completion_tokens: 500 },
      { ...request, ...defaults, max_completion_tokens: 20 },
    ]);
  });

  it("sends input and output checks as given", async () => {
    api.json(docSample("pg-chat-completion-api-reference-basic"));
    const input = docSample<PredictionGuardInputChecks>("pg-input-checks-all");
    const output = docSample<PredictionGuardOutputChecks>("pg-output-checks-both");
    await client.chat.completions.create({ ...request, input, output });
    expect(api.requests[0]?.body).toEqual({ ...request, ...defaults, input, output });
    api.reply(() => sseResponse(docStream));
    await client.chat.completions.create({ ...request, input, stream: true }).then((s) => s.finalCompletion());
    expect(api.requests[1]?.body).toEqual({ ...request, ...defaults, input, stream: true });
  });

  it("refuses output checks on a stream before sending anything, however the stream is read", async () => {
    api.reply(() => sseResponse(docStream));
    const output = docSample<PredictionGuardOutputChecks>("pg-output-checks-toxicity");
    const error = await client.chat.completions.create({ ...request, output, stream: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).path).toBe("$.output");
    expect((error as Error).message).toContain("not supported when streaming is enabled");
    expect((error as Error).message).toContain("Nothing was sent");
    const iterated = await (async () => {
      for await (const _ of client.chat.completions.create({ ...request, output, stream: true })) {
        // Never reached: starting the loop is what rejects.
      }
    })().catch((e: unknown) => e);
    expect(iterated).toBeInstanceOf(ValidationError);
    expect(api.requests).toHaveLength(0);
  });

  it.each([
    [400, "pg-error-body-400", BadRequestError],
    [403, "pg-error-body-403", PermissionDeniedError],
  ])("raises the typed error for a documented %i body, with the provider's text", async (status, name, type) => {
    const body = docSample<{ error: string }>(name);
    api.json(body, { status });
    const error = await client.chat.completions.create(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toContain(body.error);
    expect(error).toMatchObject({ status, body });
  });

  it("raises StreamError for the documented error body sent inside a stream, where Python drops it", async () => {
    const body = docSample<{ error: string }>("pg-error-body-400");
    api.reply(() => sseResponse([docStream[0], body], { done: false }));
    const items: PredictionGuardStreamItem[] = [];
    const error = await (async () => {
      for await (const item of client.chat.completions.create({ ...request, stream: true })) items.push(item);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamError);
    expect((error as StreamError).body).toEqual(body);
    expect((error as Error).message).toContain(body.error);
    expect(items).toHaveLength(1);
  });

  it("takes url as the Python client does: over baseURL, and an empty one falls back to PREDICTIONGUARD_URL", async () => {
    const urls: string[] = [];
    const fetch = async (input: string | URL | Request) => {
      urls.push(String(input));
      return Response.json(docSample("pg-chat-completion-api-reference-basic"));
    };
    const options = { apiKey: "pg-test-key", fetch: fetch as typeof globalThis.fetch };
    await new PredictionGuard({
      ...options,
      url: "https://pg.internal",
      baseURL: "https://elsewhere.invalid",
    }).chat.completions.create(request);
    vi.stubEnv("PREDICTIONGUARD_URL", "https://pg-from-env.internal");
    await new PredictionGuard({ ...options, url: "" }).chat.completions.create(request);
    expect(urls).toEqual(["https://pg.internal/chat/completions", "https://pg-from-env.internal/chat/completions"]);
  });

  it("types create by its stream flag", () => {
    // Never called: only the types of the three overloads are looked at.
    const calls = (create: PredictionGuard["chat"]["completions"]["create"]) => {
      // @ts-expect-error: a misspelt field is a compile error
      void create({ ...request, max_token: 5 });
      return {
        whole: create(request),
        streamed: create({ ...request, stream: true }),
        either: create({ ...request, stream: Math.random() > 2 }),
      };
    };
    type Calls = ReturnType<typeof calls>;
    expectTypeOf<Awaited<Calls["whole"]>>().toEqualTypeOf<ChatCompletion>();
    expectTypeOf<Awaited<Calls["streamed"]>>().toEqualTypeOf<Stream<PredictionGuardStreamItem>>();
    expectTypeOf<Calls["streamed"]>().toExtend<AsyncIterable<PredictionGuardStreamItem>>();
    expectTypeOf<Awaited<Calls["either"]>>().toEqualTypeOf<ChatCompletion | Stream<PredictionGuardStreamItem>>();
    expectTypeOf<PredictionGuardStreamItem["data"]>().toEqualTypeOf<PredictionGuardChatCompletionChunk>();
  });
});

describePackageBasics(new URL("..", import.meta.url), VERSION);
