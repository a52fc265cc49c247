export type {
  PredictionGuardChatCompletionChunk,
  PredictionGuardChatCompletionRequest,
  PredictionGuardInputChecks,
  PredictionGuardOutputChecks,
} from "@chatwire/core";
export * from "@chatwire/core/client-surface";
export { PredictionGuard, type PredictionGuardOptions } from "./client.js";
export {
  type ChatCompletionCreateParams,
  type ChatCompletionCreateParamsNonStreaming,
  type ChatCompletionCreateParamsStreaming,
  ChatCompletions,
  type PredictionGuardStreamItem,
} from "./resources/chat-completions.js";
export { VERSION } from "./version.js";
