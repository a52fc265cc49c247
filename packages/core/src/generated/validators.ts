// Generated from spec/dialects.json and spec/chat-completions.schema.json by @chatwire/spec codegen. Do not edit: change the spec and run `npm run codegen`.

import {
  ChatCompletionChunkSchema,
  ChatCompletionSchema,
  ErrorBodySchema,
  GradientChatCompletionRequestSchema,
  OctoAIChatCompletionChunkSchema,
  OctoAIChatCompletionRequestSchema,
  OctoAIChatCompletionSchema,
  PredictionGuardChatCompletionChunkSchema,
  PredictionGuardChatCompletionRequestSchema,
  PredictionGuardErrorBodySchema,
} from "./schemas.js";

/** The zod validators of every dialect's request, response, stream chunk and error body. */
export const dialectValidators = {
  octoai: {
    request: OctoAIChatCompletionRequestSchema,
    response: OctoAIChatCompletionSchema,
    chunk: OctoAIChatCompletionChunkSchema,
    error: ErrorBodySchema,
  },
  predictionguard: {
    request: PredictionGuardChatCompletionRequestSchema,
    response: ChatCompletionSchema,
    chunk: PredictionGuardChatCompletionChunkSchema,
    error: PredictionGuardErrorBodySchema,
  },
  gradient: {
    request: GradientChatCompletionRequestSchema,
    response: ChatCompletionSchema,
    chunk: ChatCompletionChunkSchema,
    error: ErrorBodySchema,
  },
} as const;
