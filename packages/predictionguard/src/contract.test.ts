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
});
