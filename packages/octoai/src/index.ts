export type {
  OctoAIChatCompletion,
  OctoAIChatCompletionChunk,
  OctoAIChatCompletionRequest,
  PromptLogprobs,
  PromptTokenLogprob,
} from "@chatwire/core";
export * from "@chatwire/core/client-surface";
export { ChatMessage } from "./chat-message.js";
export { OctoAI, type OctoAIOptions } from "./client.js";
export {
  type ChatCompletionCreateParams,
  type ChatCompletionCreateParamsNonStreaming,
  type ChatCompletionCreateParamsStreaming,
  TextGen,
} from "./resources/text-gen.js";
export { VERSION } from "./version.js";
