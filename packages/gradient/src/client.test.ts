import { accumulateChunks, type ChatCompletion, type ChatCompletionChunk, dialects, type Stream } from "@chatwire/core";
import {
  describePackageBasics,
  describeProviderContract,
  docSample,
  sseResponse,
  useMockAPI,
} from "@chatwire/test-support";
import { describe, expect, expectTypeOf, it } from "vitest";
import { Gradient, VERSION } from "./index.js";

const request = {
  model: "llama3.3-70b-instruct",
  messages: [{ role: "user" as const, content: "What is the capital of Portugal?" }],
};
const reasoningStream = [
  docSample<ChatCompletionChunk>("gradient-chunk-reasoning-content"),
  docSample<ChatCompletionChunk>("gradient-chunk-content"),
  docSample<ChatCompletionChunk>("gradient-chunk-finish-stop"),
  docSample<ChatCompletionChunk>("gradient-chunk-usage-only-final"),
];

describeProviderContract({
  dialect: dialects.gradient,
  clientName: "Gradient",
  keyOption: "modelAccessKey",
  newClient: (options) => new Gradient(options),
  complete: (client, body, options) =>
    client.chat.completions.create({ ...(body as typeof request), stream: false }, options),
  stream: (client, body, options) =>
    client.chat.completions.create({ ...(body as typeof request), stream: true }, options),
  chunkOf: (item) => item as ChatCompletionChunk,
  request,
  invalid: { body: { ...request, stop: ["a", "b", "c", "d", "e"] }, path: "$.stop" },
  completion: docSample<ChatCompletion>("gradient-chat-completion-logprobs-and-tool-calls"),
  chunks: reasoningStream,
  errorBody: (message) => ({ error: { message, type: "invalid_request_error", param: null, code: null } }),
  readme: new URL("../README.md", import.meta.url),
  // The Python SDK (gradient 3.10.1, _client.py and resources/chat/completions.py): chat goes to
  // f"{inference_endpoint}/v1/chat/completions" (GRADIENT_INFERENCE_ENDPOINT, default
  // https://inference.do-ai.run) unless base_url is overridden (GRADIENT_BASE_URL), then to
  // "/chat/completions" under it; the model access key is the Bearer token, and without one chat
  // raises TypeError before sending.
  environment: [
    {
      name: "GRADIENT_MODEL_ACCESS_KEY is the key; requests go to the public inference root",
      env: { GRADIENT_MODEL_ACCESS_KEY: "sk-do-env" },
      url: "https://inference.do-ai.run/v1/chat/completions",
      key: "sk-do-env",
    },
    {
      name: "GRADIENT_INFERENCE_ENDPOINT is the inference root, under which /v1/chat/completions is",
      env: { GRADIENT_MODEL_ACCESS_KEY: "sk-do-env", GRADIENT_INFERENCE_ENDPOINT: "https://inference.example.test" },
      url: "https://inference.example.test/v1/chat/completions",
      key: "sk-do-env",
    },
    {
      name: "GRADIENT_BASE_URL is a root without /v1, under which /chat/completions is",
      env: { GRADIENT_MODEL_ACCESS_KEY: "sk-do-env", GRADIENT_BASE_URL: "https://gateway.example.test/v1" },
      url: "https://gateway.example.test/v1/chat/completions",
      key: "sk-do-env",
    },
    {
      name: "GRADIENT_BASE_URL wins over GRADIENT_INFERENCE_ENDPOINT",
      env: {
        GRADIENT_MODEL_ACCESS_KEY: "sk-do-env",
        GRADIENT_BASE_URL: "https://gateway.example.test/openai",
        GRADIENT_INFERENCE_ENDPOINT: "https://inference.example.test",
      },
      url: "https://gateway.example.test/openai/chat/completions",
      key: "sk-do-env",
    },
    {
      name: "DIGITALOCEAN_ACCESS_TOKEN is not a model access key: nothing is sent",
      env: { DIGITALOCEAN_ACCESS_TOKEN: "dop_v1_env" },
      python: "raises TypeError (no model_access_key) before sending",
    },
    {
      name: "with DIGITALOCEAN_ACCESS_TOKEN set too, chat sends the model access key",
      env: { GRADIENT_MODEL_ACCESS_KEY: "sk-do-env", DIGITALOCEAN_ACCESS_TOKEN: "dop_v1_env" },
      url: "https://inference.do-ai.run/v1/chat/completions",
      key: "sk-do-env",
    },
    {
      name: "the agent and knowledge-base variables change nothing for chat",
      env: {
        GRADIENT_MODEL_ACCESS_KEY: "sk-do-env",
        GRADIENT_AGENT_ACCESS_KEY: "agent-key",
        GRADIENT_AGENT_ENDPOINT: "https://agent.example.test",
        GRADIENT_KBASS_ENDPOINT: "kbaas.example.test",
      },
      url: "https://inference.do-ai.run/v1/chat/completions",
      key: "sk-do-env",
    },
    {
      name: "the modelAccessKey and baseURL options win over every variable",
      env: {
        GRADIENT_MODEL_ACCESS_KEY: "sk-do-env",
        GRADIENT_BASE_URL: "https://gateway.example.test/v1",
        GRADIENT_INFERENCE_ENDPOINT: "https://inference.example.test",
      },
      options: { modelAccessKey: "sk-do-option", baseURL: "https://option.example.test" },
      url: "https://option.example.test/v1/chat/completions",
      key: "sk-do-option",
      python:
        "Gradient(inference_endpoint=...) still loses to GRADIENT_BASE_URL there (https://gateway.example.test/v1/chat/completions)",
    },
  ],
  errorShapes: [
    {
      name: 'OpenAI {"error": {...}}',
      status: 401,
      body: {
        error: {
          message: "Incorrect API key provided.",
          type: "authentication_error",
          param: null,
          code: "invalid_api_key",
        },
      },
      type: "authentication_error",
      param: null,
      code: "invalid_api_key",
    },
    {
      name: 'OpenAI {"error": {...}} with a numeric code',
      status: 429,
      body: { error: { message: "Rate limit reached.", type: "rate_limit_error", param: null, code: 429 } },
      type: "rate_limit_error",
      param: null,
      code: 429,
    },
    {
      name: 'OpenAI {"error": {...}} naming the field',
      status: 400,
      body: {
        error: { message: "top_logprobs needs logprobs.", type: "invalid_request_error", param: "top_logprobs" },
      },
      type: "invalid_request_error",
      param: "top_logprobs",
    },
    {
      name: 'DigitalOcean API {"id", "message", "request_id"}',
      status: 404,
      body: { id: "not_found", message: "The resource you requested could not be found.", request_id: "do-1" },
    },
    { name: "text", status: 503, body: "<html><body>503 Service Unavailable</body></html>" },
  ],
});

describe("Gradient chat.completions.create, on documentation-shaped payloads", () => {
  const api = useMockAPI(`${dialects.gradient.base_url}${dialects.gradient.chat_path}`);
  const client = new Gradient({ modelAccessKey: "sk-do-test" });

  it("keeps reasoning_content and puts the usage-only final chunk's usage on the final completion", async () => {
    api.reply(() => sseResponse(reasoningStream));
    const stream = await client.chat.completions.create({
      ...request,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.at(-1)?.choices).toEqual([]);
    const final = await stream.finalCompletion();
    expect(final.choices[0]?.message).toMatchObject({
      role: "assistant",
      content: "The capital of Portugal is Lisbon.",
      reasoning_content: "The user asks for the capital of Portugal. ",
    });
    expect(final.choices[0]?.finish_reason).toBe("stop");
    expect(final.usage).toEqual(docSample<ChatCompletionChunk>("gradient-chunk-usage-only-final").usage);
    expect(api.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it("accumulates tool-call deltas into one call with finish_reason tool_calls", async () => {
    const toolStream = [
      docSample<ChatCompletionChunk>("common-chunk-tool-call-delta-first"),
      docSample<ChatCompletionChunk>("common-chunk-tool-call-delta-arguments"),
      docSample<ChatCompletionChunk>("common-chunk-tool-call-finish"),
    ];
    api.reply(() => sseResponse(toolStream, { pieceSize: 5 }));
    const stream = await client.chat.completions.create({
      ...request,
      stream: true,
      tools: [docSample("common-tool-get-current-weather")],
    });
    const final = await stream.finalCompletion();
    expect(final.choices[0]?.finish_reason).toBe("tool_calls");
    expect(final.choices[0]?.message.tool_calls).toEqual([
      {
        id: "call_5iv1uWKBAYUmnMrNywUUajHE",
        type: "function",
        function: { name: "get_current_weather", arguments: '{"location": "celsius"}' },
      },
    ]);
  });

  it("passes per-token logprobs through and accumulates them", async () => {
    const content = docSample<ChatCompletionChunk>("gradient-chunk-content");
    const entry = {
      token: " Lisbon",
      bytes: [32, 76, 105, 115, 98, 111, 110],
      logprob: -0.0123,
      top_logprobs: [
        { token: " Lisbon", bytes: [32, 76, 105, 115, 98, 111, 110], logprob: -0.0123 },
        { token: " Porto", bytes: [32, 80, 111, 114, 116, 111], logprob: -4.61 },
      ],
    };
    const withLogprobs = { ...content, choices: [{ ...content.choices[0], logprobs: { content: [entry] } }] };
    api.reply(() => sseResponse([withLogprobs, docSample("gradient-chunk-finish-stop")]));
    const stream = await client.chat.completions.create({ ...request, stream: true, logprobs: true, top_logprobs: 2 });
    const final = await stream.finalCompletion();
    expect(final.choices[0]?.logprobs?.content).toEqual([entry]);
  });

  it("keeps two choices of an n = 2 stream apart", async () => {
    const base = docSample<ChatCompletionChunk>("gradient-chunk-content");
    const piece = (index: number, delta: object, finish_reason: string | null = null) => ({
      ...base,
      choices: [{ index, delta, finish_reason, logprobs: null }],
    });
    api.reply(() =>
      sseResponse([
        piece(0, { role: "assistant", content: "" }),
        piece(1, { role: "assistant", content: "" }),
        piece(1, { content: "Lisbon" }),
        piece(0, { content: "It is Lisbon." }),
        piece(1, { content: "." }),
        piece(0, {}, "stop"),
        piece(1, {}, "length"),
      ]),
    );
    const stream = await client.chat.completions.create({ ...request, n: 2, stream: true });
    const final = await stream.finalCompletion();
    expect(final.choices.map((choice) => [choice.index, choice.message.content, choice.finish_reason])).toEqual([
      [0, "It is Lisbon.", "stop"],
      [1, "Lisbon.", "length"],
    ]);
  });

  it("returns the documented non-streamed completion with logprobs, tool calls and reasoning_content", async () => {
    const completion = docSample<ChatCompletion>("gradient-chat-completion-logprobs-and-tool-calls");
    api.json(completion);
    const result = await client.chat.completions.create(request);
    expect(result).toEqual(completion);
    expect(api.requests[0]?.body).toEqual(request);
  });

  it("refuses top_logprobs without logprobs: true, as Gradient does", async () => {
    await expect(client.chat.completions.create({ ...request, top_logprobs: 3 })).rejects.toThrow("logprobs");
    expect(api.requests).toHaveLength(0);
  });

  it("types create by its stream flag", () => {
    // Arrow functions, never called: only their types are checked.
    expectTypeOf(() => client.chat.completions.create(request)).returns.resolves.toEqualTypeOf<ChatCompletion>();
    expectTypeOf(() => client.chat.completions.create({ ...request, stream: true })).returns.resolves.toEqualTypeOf<
      Stream<ChatCompletionChunk>
    >();
    const either = (stream: boolean) => client.chat.completions.create({ ...request, stream });
    expectTypeOf<Awaited<ReturnType<typeof either>>>().toEqualTypeOf<ChatCompletion | Stream<ChatCompletionChunk>>();
    // @ts-expect-error: a misspelt field is a compile error
    expectTypeOf(() => client.chat.completions.create({ ...request, max_token: 5 })).toBeFunction();
  });

  it("accumulates to the same completion however the stream is read", async () => {
    api.reply(() => sseResponse(reasoningStream));
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of client.chat.completions.create({ ...request, stream: true })) chunks.push(chunk);
    expect(chunks).toEqual(reasoningStream);
    expect(accumulateChunks(chunks).choices[0]?.message.content).toBe("The capital of Portugal is Lisbon.");
  });
});

describePackageBasics(new URL("..", import.meta.url), VERSION);
