export type { GradientChatCompletionRequest } from "@chatwire/core";
export * from "@chatwire/core/client-surface";
export { Gradient, type GradientOptions } from "./client.js";
export {
  type ChatCompletionCreateParams,
  type ChatCompletionCreateParamsNonStreaming,
  type ChatCompletionCreateParamsStreaming,
  ChatCompletions,
} from "./resources/chat-completions.js";
export { VERSION } from "./version.js";
