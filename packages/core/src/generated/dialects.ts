// Generated from spec/dialects.json and spec/chat-completions.schema.json by @chatwire/spec codegen. Do not edit: change the spec and run `npm run codegen`.

import type {
  ChatCompletion,
  ChatCompletionChunk,
  ErrorBody,
  GradientChatCompletionRequest,
  OctoAIChatCompletion,
  OctoAIChatCompletionChunk,
  OctoAIChatCompletionRequest,
  PredictionGuardChatCompletionChunk,
  PredictionGuardChatCompletionRequest,
  PredictionGuardErrorBody,
} from "./types.js";

/** Wire facts of every provider, from spec/dialects.json. */
export const dialects = {
  octoai: {
    id: "octoai",
    name: "OctoAI",
    package: "@chatwire/octoai",
    base_url: "https://text.octoai.run",
    base_url_env: [{ name: "OCTOAI_BASE_URL" }],
    chat_path: "/v1/chat/completions",
    auth: { header: "Authorization", scheme: "Bearer" },
    api_key_env: "OCTOAI_TOKEN",
    schemas: {
      request: "OctoAIChatCompletionRequest",
      response: "OctoAIChatCompletion",
      chunk: "OctoAIChatCompletionChunk",
      error: "ErrorBody",
    },
    model_list_paths: ["/v1/models"],
    max_tokens_fields: ["max_tokens"],
    completion_logprobs: true,
    prompt_logprobs: true,
    json_schema_format: "json_object_schema",
    stream: {
      done_sentinel: "[DONE]",
      usage_placement: "last_content_chunk",
      error_shape: "object",
      options_require_stream: false,
      choice_logprobs: "object",
      logprobs_always: false,
      generated_text: false,
      usage_on_other_chunks: "absent",
      notes:
        "With `stream_options` set, usage rides on the last chunk that still carries choices (the one with `finish_reason`); no separate usage-only chunk follows.",
    },
  },
  predictionguard: {
    id: "predictionguard",
    name: "Prediction Guard",
    package: "@chatwire/predictionguard",
    base_url: "https://api.predictionguard.com",
    base_url_env: [{ name: "PREDICTIONGUARD_URL" }],
    chat_path: "/chat/completions",
    auth: { header: "Authorization", scheme: "Bearer" },
    api_key_env: "PREDICTIONGUARD_API_KEY",
    schemas: {
      request: "PredictionGuardChatCompletionRequest",
      response: "ChatCompletion",
      chunk: "PredictionGuardChatCompletionChunk",
      error: "PredictionGuardErrorBody",
    },
    model_list_paths: ["/models", "/models/chat-completion", "/completions"],
    max_tokens_fields: ["max_completion_tokens", "max_tokens"],
    completion_logprobs: false,
    prompt_logprobs: false,
    json_schema_format: "json_schema",
    stream: {
      done_sentinel: "[DONE]",
      usage_placement: "none",
      error_shape: "string",
      options_require_stream: false,
      choice_logprobs: "sum",
      logprobs_always: true,
      generated_text: true,
      usage_on_other_chunks: "absent",
      notes:
        "Each chunk's choices carry `generated_text` (null until the last chunk, which repeats the whole text) and a numeric `logprobs` for the chunk's token.",
    },
  },
  gradient: {
    id: "gradient",
    name: "DigitalOcean Gradient",
    package: "@chatwire/gradient",
    base_url: "https://inference.do-ai.run",
    base_url_env: [
      { name: "GRADIENT_BASE_URL", chat_path: "/chat/completions" },
      { name: "GRADIENT_INFERENCE_ENDPOINT" },
    ],
    chat_path: "/v1/chat/completions",
    auth: { header: "Authorization", scheme: "Bearer" },
    api_key_env: "GRADIENT_MODEL_ACCESS_KEY",
    schemas: {
      request: "GradientChatCompletionRequest",
      response: "ChatCompletion",
      chunk: "ChatCompletionChunk",
      error: "ErrorBody",
    },
    model_list_paths: ["/v1/models"],
    max_tokens_fields: ["max_completion_tokens", "max_tokens"],
    completion_logprobs: true,
    prompt_logprobs: false,
    json_schema_format: "json_schema",
    stream: {
      done_sentinel: "[DONE]",
      usage_placement: "separate_final_chunk",
      error_shape: "object",
      options_require_stream: true,
      choice_logprobs: "object",
      logprobs_always: false,
      generated_text: false,
      usage_on_other_chunks: "null",
      notes:
        "Every chunk carries `usage: null` except, with `stream_options.include_usage`, one last chunk with empty `choices` and the usage; deltas may carry `reasoning_content` for reasoning models.",
    },
  },
} as const;

export type DialectId = keyof typeof dialects;
export type Dialect = (typeof dialects)[DialectId];

/** The spec types of each dialect's request, response, stream chunk and error body. */
export interface DialectTypes {
  octoai: {
    request: OctoAIChatCompletionRequest;
    response: OctoAIChatCompletion;
    chunk: OctoAIChatCompletionChunk;
    error: ErrorBody;
  };
  predictionguard: {
    request: PredictionGuardChatCompletionRequest;
    response: ChatCompletion;
    chunk: PredictionGuardChatCompletionChunk;
    error: PredictionGuardErrorBody;
  };
  gradient: {
    request: GradientChatCompletionRequest;
    response: ChatCompletion;
    chunk: ChatCompletionChunk;
    error: ErrorBody;
  };
}
