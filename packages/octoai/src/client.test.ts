import {
  type ChatCompletion,
  type ChatCompletionChunk,
  dialects,
  type OctoAIChatCompletion,
  type OctoAIChatCompletionChunk,
  type OctoAIChatCompletionRequest,
  type ResponseFormat,
  type Stream,
} from "@chatwire/core";
import { dialectValidators } from "@chatwire/core/validators";
import {
  describePackageBasics,
  describeProviderContract,
  docSample,
  sseResponse,
  useMockAPI,
} from "@chatwire/test-support";
import { describe, expect, expectTypeOf, it } from "vitest";
import { ChatMessage, OctoAI, ValidationError, VERSION } from "./index.js";

const request = {
  model: "meta-llama-3.1-8b-instruct",
  messages: [{ role: "user" as const, content: "Hello world" }],
};
const completion = docSample<ChatCompletion>("octoai-chat-completion-with-usage");
const content = docSample<ChatCompletionChunk>("octoai-chunk-content");
const piece = (index: number, delta: object, finish_reason: string | null = null, usage?: object) => ({
  ...content,
  choices: [{ index, delta, finish_reason }],
  ...(usage && { usage }),
});
// OctoAI puts the usage on the chunk that finishes the choice; no usage-only chunk follows it.
const usageStream = [
  content,
  piece(0, { content: "! It's nice to meet you." }, null),
  piece(0, { content: " How can I help?" }, "stop", completion.usage ?? undefined),
];

describeProviderContract({
  dialect: dialects.octoai,
  clientName: "OctoAI",
  keyOption: "apiKey",
  newClient: (options) => new OctoAI(options),
  complete: (client, body, options) => client.textGen.createChatCompletion(body as typeof request, options),
  stream: (client, body, options) => client.textGen.createChatCompletionStream(body as typeof request, options),
  chunkOf: (item) => item as ChatCompletionChunk,
  request,
  invalid: { body: { ...request, max_tokens: 0 }, path: "$.max_tokens" },
  completion,
  chunks: usageStream,
  errorBody: (message) => ({ error: { message, type: "invalid_request_error", param: null, code: null } }),
  readme: new URL("../README.md", import.meta.url),
  // The Python SDK (octoai 1.x, Fern): api_key defaults to os.getenv("OCTOAI_TOKEN"), sent as a
  // Bearer token; chat goes to urljoin(f"{environment.text_gen}/", "v1/chat/completions") with
  // OctoAIEnvironment.PRODUCTION's text_gen https://text.octoai.run; no variable sets the environment.
  environment: [
    {
      name: "OCTOAI_TOKEN is the token",
      env: { OCTOAI_TOKEN: "octoai-env-token" },
      url: "https://text.octoai.run/v1/chat/completions",
      key: "octoai-env-token",
    },
    {
      name: "OCTOAI_BASE_URL is the text-gen root, as environment.text_gen",
      env: { OCTOAI_TOKEN: "octoai-env-token", OCTOAI_BASE_URL: "https://octoai.example.test/text" },
      url: "https://octoai.example.test/text/v1/chat/completions",
      key: "octoai-env-token",
      python: "reads no base-URL variable: OctoAI(environment=OctoAIEnvironment(text_gen=...)) sets it",
    },
    {
      name: "the apiKey and baseURL options win over OCTOAI_TOKEN and OCTOAI_BASE_URL",
      env: { OCTOAI_TOKEN: "octoai-env-token", OCTOAI_BASE_URL: "https://octoai.example.test/text" },
      options: { apiKey: "octoai-option-token", baseURL: "https://option.example.test" },
      url: "https://option.example.test/v1/chat/completions",
      key: "octoai-option-token",
    },
    {
      name: "no OCTOAI_TOKEN and no apiKey: nothing is sent",
      env: {},
      python: "sends the request without Authorization and raises ApiError(status_code=401)",
    },
  ],
  errorShapes: [
    {
      name: 'OctoAI ErrorResponse {"object": "error", "message", "type", "param", "code"}',
      status: 500,
      body: {
        object: "error",
        message: "The model is overloaded.",
        type: "server_error",
        param: null,
        code: "overloaded",
      },
      type: "server_error",
      param: null,
      code: "overloaded",
    },
    {
      name: "vLLM's, with a numeric code",
      status: 400,
      body: {
        object: "error",
        message: "max_tokens is too large",
        type: "BadRequestError",
        param: "max_tokens",
        code: 400,
      },
      type: "BadRequestError",
      param: "max_tokens",
      code: 400,
    },
    {
      name: 'OpenAI {"error": {...}}',
      status: 404,
      body: {
        error: {
          message: "The model does not exist.",
          type: "invalid_request_error",
          param: "model",
          code: "model_not_found",
        },
      },
      type: "invalid_request_error",
      param: "model",
      code: "model_not_found",
    },
    {
      name: 'FastAPI {"detail": [...]} (HTTPValidationError)',
      status: 422,
      body: { detail: [{ loc: ["body", "messages"], msg: "field required", type: "value_error.missing" }] },
    },
    { name: "text", status: 502, body: "Bad Gateway" },
  ],
});

describe("OctoAI textGen, on documentation-shaped payloads", () => {
  const api = useMockAPI(`${dialects.octoai.base_url}${dialects.octoai.chat_path}`);
  const client = new OctoAI({ apiKey: "octoai-test-token" });

  it("returns the documented completion with its usage, sending the request as it is", async () => {
    api.json(completion);
    const result = await client.textGen.createChatCompletion({ ...request, max_tokens: 150 });
    expect(result).toEqual(completion);
    expect(result.usage).toEqual({ completion_tokens: 25, prompt_tokens: 42, total_tokens: 67 });
    expect(api.requests[0]?.body).toEqual({ ...request, max_tokens: 150 });
  });

  it("takes the usage from the last content chunk, with no usage-only chunk after it", async () => {
    api.reply(() => sseResponse(usageStream, { pieceSize: 11 }));
    const stream = await client.textGen.createChatCompletionStream({
      ...request,
      stream_options: { include_usage: true },
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks).toEqual(usageStream);
    expect(chunks.every((chunk) => chunk.choices.length === 1)).toBe(true);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("stop");
    expect(chunks.at(-1)?.usage).toEqual(completion.usage);
    const final = await stream.finalCompletion();
    expect(final.choices[0]?.message).toMatchObject({
      role: "assistant",
      content: "Hello! It's nice to meet you. How can I help?",
    });
    expect(final.choices[0]?.finish_reason).toBe("stop");
    expect(final.usage).toEqual(completion.usage);
    expect(api.requests[0]?.body).toEqual({ ...request, stream_options: { include_usage: true }, stream: true });
  });

  it("keeps two choices of an n = 2 stream apart", async () => {
    api.reply(() =>
      sseResponse([
        piece(0, { role: "assistant", content: "" }),
        piece(1, { role: "assistant", content: "" }),
        piece(1, { content: "Hi" }),
        piece(0, { content: "Hello there." }),
        piece(1, { content: "!" }),
        piece(0, {}, "stop"),
        piece(1, {}, "length", completion.usage ?? undefined),
      ]),
    );
    const final = await client.textGen
      .createChatCompletionStream({ ...request, n: 2 })
      .then((s) => s.finalCompletion());
    expect(final.choices.map((choice) => [choice.index, choice.message.content, choice.finish_reason])).toEqual([
      [0, "Hello there.", "stop"],
      [1, "Hi!", "length"],
    ]);
    expect(final.usage).toEqual(completion.usage);
  });

  it("returns loglikelihood's prompt_logprobs, whole and from the stream's first chunk", async () => {
    const scored = docSample<OctoAIChatCompletion>("octoai-chat-completion-with-prompt-logprobs");
    const first = docSample<OctoAIChatCompletionChunk>("octoai-chunk-first-with-prompt-logprobs");
    api.json(scored);
    const whole = await client.textGen.createChatCompletion({ ...request, loglikelihood: true });
    expect(whole.prompt_logprobs).toEqual(scored.prompt_logprobs);
    expect(api.requests.at(-1)?.body).toEqual({ ...request, loglikelihood: true });

    api.reply(() => sseResponse([first, piece(0, { content: "Hi!" }, "stop")]));
    const stream = await client.textGen.createChatCompletionStream({ ...request, loglikelihood: true });
    const chunks: OctoAIChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]?.prompt_logprobs).toEqual(first.prompt_logprobs);
    const final = await stream.finalCompletion();
    expect(final.prompt_logprobs).toEqual(first.prompt_logprobs);
    expect(final.choices[0]?.message.content).toBe("Hi!");
  });

  it("sends ChatMessage instances as plain message objects", async () => {
    const messages = [
      new ChatMessage({ role: "system", content: "You are a helpful assistant." }),
      new ChatMessage({ role: "user", content: "Hello world" }),
    ];
    expect(messages[0]).toBeInstanceOf(ChatMessage);
    expect(request.messages[0]).not.toBeInstanceOf(ChatMessage);
    expect(messages[1]?.role).toBe("user");
    const plain = [
      { role: "system", content: "You are a helpful assistant." },
      { role: "user", content: "Hello world" },
    ];
    expect(JSON.parse(JSON.stringify(messages))).toEqual(plain);
    expect(dialectValidators.octoai.request.safeParse({ model: request.model, messages }).success).toBe(true);
    api.json(completion);
    await client.textGen.createChatCompletion({ model: request.model, messages: [...messages, ...request.messages] });
    expect(api.requests[0]?.body).toEqual({ model: request.model, messages: [...plain, ...request.messages] });
  });

  it("sends every OctoAI-only field unchanged, streamed or not", async () => {
    const documented = docSample<OctoAIChatCompletionRequest>("octoai-request-sampling-and-json-mode-extensions");
    const { stream: _, ...params } = documented;
    const jsonMode = { type: "json_object" as const, schema: {} };
    const responseFormat = docSample<ResponseFormat>("octoai-response-format-json-object-with-schema");
    expect(Object.keys(params)).toEqual(
      expect.arrayContaining([
        "ignore_eos",
        "log_prompt",
        "loglikelihood",
        "min_p",
        "peft",
        "repetition_penalty",
        "top_logprobs",
        "response_format",
        "stop",
      ]),
    );
    api.json(completion);
    // One call at a time: a file that also runs the contract suite may record a request twice.
    for (const body of [
      params,
      { ...request, response_format: responseFormat, stop: "\n\n" },
      { ...request, response_format: jsonMode, stop: null },
    ]) {
      await client.textGen.createChatCompletion(body);
      expect(api.requests.at(-1)?.body).toEqual(body);
    }
    api.reply(() => sseResponse(usageStream));
    await client.textGen.createChatCompletionStream(params).then((stream) => stream.finalCompletion());
    expect(api.requests.at(-1)?.body).toEqual(documented);
  });

  it("refuses stream: true in createChatCompletion before sending anything", async () => {
    const call = () =>
      // @ts-expect-error: a stream comes from createChatCompletionStream
      client.textGen.createChatCompletion({ ...request, stream: true });
    const error = await call().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ path: "$.stream" });
    expect((error as Error).message).toContain("createChatCompletionStream");
    expect(api.requests).toHaveLength(0);
  });

  it("types each method by what it returns", () => {
    // Type-level only: nothing here is called, so no request goes out.
    const { createChatCompletion, createChatCompletionStream } = client.textGen;
    expectTypeOf(createChatCompletion).returns.resolves.toEqualTypeOf<OctoAIChatCompletion>();
    expectTypeOf(createChatCompletionStream).returns.resolves.toEqualTypeOf<Stream<OctoAIChatCompletionChunk>>();
    expectTypeOf(createChatCompletionStream).returns.toExtend<AsyncIterable<OctoAIChatCompletionChunk>>();
    // OctoAI's completion is the common one plus `prompt_logprobs`.
    expectTypeOf<OctoAIChatCompletion>().toExtend<ChatCompletion>();
    expectTypeOf(new ChatMessage({ role: "user", content: "Hi" })).toEqualTypeOf<{ role: "user"; content: string }>();
    expectTypeOf(() =>
      // @ts-expect-error: a misspelt field is a compile error
      client.textGen.createChatCompletion({ ...request, max_token: 5 }),
    ).toBeFunction();
    // @ts-expect-error: a message needs a role the spec knows
    expectTypeOf(() => new ChatMessage({ role: "robot", content: "Hi" })).toBeFunction();
  });
});

describePackageBasics(new URL("..", import.meta.url), VERSION);
