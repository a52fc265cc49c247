import { type ChatCompletion, dialects, type PredictionGuardChatCompletionChunk } from "@chatwire/core";
import { describeProviderContract, docSample } from "@chatwire/test-support";
import { PredictionGuard, type PredictionGuardStreamItem } from "./index.js";

const request = {
  model: "Neural-Chat-7B",
  messages: [{ role: "user" as const, content: "How do you feel about the world in general?" }],
};
const chunks = [
  docSample<PredictionGuardChatCompletionChunk>("pg-chunk-token-with-numeric-logprobs"),
  docSample<PredictionGuardChatCompletionChunk>("pg-chunk-final-with-generated-text"),
];

describeProviderContract({
  dialect: dialects.predictionguard,
  clientName: "PredictionGuard",
  keyOption: "apiKey",
  newClient: (options) => new PredictionGuard(options),
  complete: (client, body, options) =>
    client.chat.completions.create({ ...(body as typeof request), stream: false }, options),
  stream: (client, body, options) =>
    client.chat.completions.create({ ...(body as typeof request), stream: true }, options),
  chunkOf: (item) => (item as PredictionGuardStreamItem).data,
  request,
  invalid: { body: { ...request, top_k: 0 }, path: "$.top_k" },
  completion: docSample<ChatCompletion>("pg-chat-completion-api-reference-basic"),
  chunks,
  errorBody: (message) => ({ error: message }),
  readme: new URL("../README.md", import.meta.url),
  // The Python client (predictionguard 2.11, client.py and src/chat.py): api_key, else
  // PREDICTIONGUARD_API_KEY (ValueError without one); url, else PREDICTIONGUARD_URL, else
  // https://api.predictionguard.com; chat goes to url + "/chat/completions" with the key as a Bearer token.
  environment: [
    {
      name: "PREDICTIONGUARD_API_KEY is the key; requests go to the public API",
      env: { PREDICTIONGUARD_API_KEY: "pg-env-key" },
      url: "https://api.predictionguard.com/chat/completions",
      key: "pg-env-key",
    },
    {
      name: "PREDICTIONGUARD_URL is the API root",
      env: { PREDICTIONGUARD_API_KEY: "pg-env-key", PREDICTIONGUARD_URL: "https://pg.example.test" },
      url: "https://pg.example.test/chat/completions",
      key: "pg-env-key",
    },
    {
      name: "the apiKey and url options win over the variables",
      env: { PREDICTIONGUARD_API_KEY: "pg-env-key", PREDICTIONGUARD_URL: "https://pg.example.test" },
      options: { apiKey: "pg-option-key", url: "https://option.example.test" },
      url: "https://option.example.test/chat/completions",
      key: "pg-option-key",
    },
    {
      name: "no PREDICTIONGUARD_API_KEY and no apiKey: nothing is sent",
      env: { PREDICTIONGUARD_URL: "https://pg.example.test" },
      python: "raises ValueError before sending",
    },
    {
      name: "TIMEOUT is not read",
      env: { PREDICTIONGUARD_API_KEY: "pg-env-key", TIMEOUT: "0.01" },
      url: "https://api.predictionguard.com/chat/completions",
      key: "pg-env-key",
      replyDelayMs: 100,
      python: "reads TIMEOUT as the request timeout in seconds, so this request would time out",
    },
  ],
  errorShapes: [
    { name: 'Prediction Guard {"error": "..."}', status: 400, body: { error: "required fields are missing" } },
    {
      name: 'Prediction Guard {"error": "..."} refusing a key',
      status: 403,
      body: { error: "api understands the request but refuses to authorize it" },
    },
    { name: "text", status: 500, body: "internal server error" },
  ],
});
