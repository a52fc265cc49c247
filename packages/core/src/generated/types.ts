// Generated from spec/chat-completions.schema.json by @chatwire/spec codegen. Do not edit: change the spec and run `npm run codegen`.

/**
 * Author of a message.
 */
export type Role = "system" | "developer" | "user" | "assistant" | "tool";
/**
 * Why generation stopped: `stop` (natural end or a stop sequence), `length` (token limit), `tool_calls` (the model called a tool), `content_filter` (output withheld by a filter), `function_call` (legacy tool call).
 */
export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "function_call";
/**
 * Message text: a plain string, or an array of text parts (plain strings are accepted as parts).
 */
export type TextContent = string | (string | TextContentPart)[];
/**
 * One message of the conversation, told apart by `role`.
 */
export type ChatMessage = SystemMessage | DeveloperMessage | UserMessage | AssistantMessage | ToolMessage;
/**
 * Which tool the model calls: `none` (no tool), `auto` (the model decides), `required` (at least one tool) or one named function.
 */
export type ToolChoice = ("none" | "auto" | "required") | NamedToolChoice;
/**
 * Constrains the form of the reply: free `text`, a JSON object (optionally matching `schema`, as OctoAI takes it), or a named JSON Schema.
 */
export type ResponseFormat =
  | {
      /**
       * Free text.
       */
      type: "text";
    }
  | {
      /**
       * A JSON object.
       */
      type: "json_object";
      /**
       * JSON Schema the object must match.
       */
      schema?: {} | null;
    }
  | {
      /**
       * JSON matching `json_schema.schema`.
       */
      type: "json_schema";
      /**
       * The named schema.
       */
      json_schema: {
        /**
         * Name of the schema.
         */
        name: string;
        /**
         * What the schema is for.
         */
        description?: string | null;
        /**
         * The JSON Schema itself.
         */
        schema?: {} | null;
        /**
         * Whether the output must follow the schema exactly.
         */
        strict?: boolean | null;
      };
    };
/**
 * OctoAI text-gen request: the common request plus OctoAI's sampling and logging fields. `null` for an optional field means not set.
 */
export type OctoAIChatCompletionRequest = ChatCompletionRequest & {
  /**
   * Most tokens to generate.
   *
   * @minimum 1
   * @default 512
   */
  max_tokens?: number | null;
  /**
   * Keep generating past the end-of-sequence token until `max_tokens`.
   *
   * @default false
   */
  ignore_eos?: boolean | null;
  /**
   * Let OctoAI log the prompt.
   *
   * @default false
   */
  log_prompt?: boolean | null;
  /**
   * Return the log probabilities of all prompt tokens but the first (OctoAI's reference: "Return log probabilities for all prompt tokens excluding the first one from prefill step if True"), as the response's `prompt_logprobs` (`PromptLogprobs`).
   *
   * @default false
   */
  loglikelihood?: boolean | null;
  /**
   * Drop tokens whose probability is below this fraction of the most likely token's.
   *
   * @minimum 0
   * @maximum 1
   */
  min_p?: number | null;
  /**
   * Id of a LoRA adapter (asset) to apply.
   */
  peft?: string | null;
  /**
   * Penalty for repeated tokens; 1 means none.
   *
   * @exclusiveMinimum 0
   * @default 1
   */
  repetition_penalty?: number | null;
  /**
   * Constrains the form of the reply; `{"type": "json_object", "schema": {...}}` for JSON mode.
   */
  response_format?: ResponseFormat | null;
  /**
   * How many most likely alternatives to return per token.
   *
   * @minimum 0
   * @maximum 20
   */
  top_logprobs?: number | null;
  /**
   * A stop sequence or a list of them.
   */
  stop?: string | string[] | null;
};
/**
 * The log probability of every prompt token, OctoAI's answer to `loglikelihood: true` ("log probabilities for all prompt tokens excluding the first one from prefill step"). OctoAI's reference documents the request field but no response field for it, so this takes vLLM's `prompt_logprobs` (`list[dict[int, Logprob] | None]`, vLLM's response extension for the same thing): one entry per prompt token, in order, as many as `usage.prompt_tokens`. The first is null (no token comes before it to predict it); each other maps the token's id, written as a decimal string, to its `PromptTokenLogprob`.
 */
export type PromptLogprobs = ({
  [k: string]: PromptTokenLogprob;
} | null)[];
/**
 * OctoAI's response to a chat completion that was not streamed: the common response plus `prompt_logprobs`.
 */
export type OctoAIChatCompletion = ChatCompletion & {
  /**
   * With `loglikelihood: true`, the log probability of every prompt token (`PromptLogprobs`), once for all choices (they share the prompt), at the top level as vLLM places it; absent or null otherwise.
   */
  prompt_logprobs?: PromptLogprobs | null;
};
/**
 * One `data:` event of an OctoAI stream: the common chunk plus `prompt_logprobs`.
 */
export type OctoAIChatCompletionChunk = ChatCompletionChunk & {
  /**
   * With `loglikelihood: true`, on the stream's first chunk only: the log probability of every prompt token (`PromptLogprobs`), once for all choices, at the top level. Absent from every other chunk.
   */
  prompt_logprobs?: PromptLogprobs | null;
};
/**
 * Prediction Guard chat request: the common request plus its sampling defaults and input/output checks. `null` for an optional field means not set (Prediction Guard's Python client sends every unset option as null).
 */
export type PredictionGuardChatCompletionRequest = ChatCompletionRequest & {
  /**
   * Most tokens to generate.
   *
   * @minimum 1
   * @default 100
   */
  max_completion_tokens?: number | null;
  /**
   * Sampling temperature.
   *
   * @minimum 0
   * @maximum 2
   * @default 1
   */
  temperature?: number | null;
  /**
   * Nucleus sampling mass.
   *
   * @minimum 0
   * @maximum 1
   * @default 0.99
   */
  top_p?: number | null;
  /**
   * Sample only from this many most likely tokens.
   *
   * @minimum 1
   * @default 50
   */
  top_k?: number | null;
  /**
   * How much effort a reasoning model spends on reasoning before it answers: `low`, `medium` or `high` (the values Prediction Guard's API reference lists; less effort is faster and spends fewer tokens on reasoning). Only reasoning models take it. The Python client's `reasoning_effort`.
   */
  reasoning_effort?: ("low" | "medium" | "high") | null;
  /**
   * Checks run on the prompt.
   */
  input?: PredictionGuardInputChecks | null;
  /**
   * Checks run on the reply.
   */
  output?: PredictionGuardOutputChecks | null;
};
/**
 * DigitalOcean Gradient serverless-inference request: the common request with Gradient's limits and `metadata`. `null` for an optional field means not set.
 */
export type GradientChatCompletionRequest = ChatCompletionRequest & {
  /**
   * Up to 16 key-value pairs stored with the request; keys at most 64 characters, values at most 512.
   *
   * @maxProperties 16
   */
  metadata?: {
    [k: string]: string;
  } | null;
  /**
   * Up to 4 sequences at which generation stops.
   */
  stop?: string | string[] | null;
  /**
   * Up to 128 tools the model may call.
   *
   * @maxItems 128
   */
  tools?: Tool[] | null;
  /**
   * How many most likely alternatives to return per token; needs `logprobs: true`.
   *
   * @minimum 0
   * @maximum 20
   */
  top_logprobs?: number | null;
};

/**
 * A piece of text inside a multi-part message content array.
 */
export interface TextContentPart {
  /**
   * Always `text`.
   */
  type: "text";
  /**
   * The text.
   */
  text: string;
}
/**
 * An image inside a user message content array.
 */
export interface ImageContentPart {
  /**
   * Always `image_url`.
   */
  type: "image_url";
  /**
   * Where the image is.
   */
  image_url: {
    /**
     * An http(s) URL or a `data:` URL with base64 image bytes.
     */
    url: string;
    /**
     * Resolution the model looks at the image with.
     */
    detail?: ("auto" | "low" | "high") | null;
  };
}
/**
 * A call of a function tool made by the model.
 */
export interface ToolCall {
  /**
   * Id of the call, echoed back as `tool_call_id` in the tool's answer.
   */
  id: string;
  /**
   * Always `function`.
   */
  type: "function";
  /**
   * The function called and its arguments.
   */
  function: {
    /**
     * Name of the function.
     */
    name: string;
    /**
     * Arguments as a JSON-encoded string, exactly as the model produced it (it may not be valid JSON).
     */
    arguments: string;
  };
}
/**
 * Instructions that steer the model.
 */
export interface SystemMessage {
  /**
   * Always `system`.
   */
  role: "system";
  content: TextContent;
  /**
   * Optional name of the participant.
   */
  name?: string | null;
}
/**
 * Instructions from the application developer; newer models prefer it to a system message.
 */
export interface DeveloperMessage {
  /**
   * Always `developer`.
   */
  role: "developer";
  content: TextContent;
  /**
   * Optional name of the participant.
   */
  name?: string | null;
}
/**
 * A message written by the user.
 */
export interface UserMessage {
  /**
   * Always `user`.
   */
  role: "user";
  /**
   * The user's text, or an array of text and image parts (plain strings are accepted as text parts).
   */
  content: string | (string | TextContentPart | ImageContentPart)[];
  /**
   * Optional name of the participant.
   */
  name?: string | null;
}
/**
 * A message the model wrote earlier in the conversation.
 */
export interface AssistantMessage {
  /**
   * Always `assistant`.
   */
  role: "assistant";
  /**
   * The reply text; null or absent when the message only carries tool calls.
   */
  content?: TextContent | null;
  /**
   * Optional name of the participant.
   */
  name?: string | null;
  /**
   * The refusal text, when the model refused.
   */
  refusal?: string | null;
  /**
   * Tool calls the model made.
   */
  tool_calls?: ToolCall[] | null;
}
/**
 * The result of a tool call, sent back to the model.
 */
export interface ToolMessage {
  /**
   * Always `tool`.
   */
  role: "tool";
  content: TextContent;
  /**
   * Id of the tool call this message answers.
   */
  tool_call_id: string;
}
/**
 * A function the model may call.
 */
export interface FunctionDefinition {
  /**
   * Name of the function: letters, digits, underscores and dashes, at most 64 characters.
   *
   * @pattern ^[a-zA-Z0-9_-]{1,64}$
   */
  name: string;
  /**
   * What the function does; the model reads it to decide when to call.
   */
  description?: string | null;
  /**
   * The function's arguments as a JSON Schema object. Omit it for a function without arguments.
   */
  parameters?: {} | null;
  /**
   * Whether the model must follow `parameters` exactly.
   */
  strict?: boolean | null;
}
/**
 * A tool the model may call.
 */
export interface Tool {
  /**
   * Always `function`.
   */
  type: "function";
  function: FunctionDefinition;
}
/**
 * Forces the model to call one named function.
 */
export interface NamedToolChoice {
  /**
   * Always `function`.
   */
  type: "function";
  /**
   * The function to call.
   */
  function: {
    /**
     * Name of the function.
     */
    name: string;
  };
}
/**
 * Options for a streamed response.
 */
export interface StreamOptions {
  /**
   * Send token usage while streaming. Where it comes depends on the provider (see dialects.json).
   */
  include_usage?: boolean | null;
}
/**
 * Request body of POST chat/completions, common to every provider. `null` for an optional field, here and in every object inside a request, means not set, as OpenAI-style APIs take it.
 */
export interface ChatCompletionRequest {
  /**
   * Id of the model to use.
   *
   * @minLength 1
   */
  model: string;
  /**
   * The conversation so far, oldest first.
   *
   * @minItems 1
   */
  messages: ChatMessage[];
  /**
   * Penalises tokens by how often they already appear.
   *
   * @minimum -2
   * @maximum 2
   * @default 0
   */
  frequency_penalty?: number | null;
  /**
   * Penalises tokens that already appear at all.
   *
   * @minimum -2
   * @maximum 2
   * @default 0
   */
  presence_penalty?: number | null;
  /**
   * Bias added to the logits of the given token ids (keys are token ids as strings).
   */
  logit_bias?: {
    [k: string]: number;
  } | null;
  /**
   * Return the log probability of each output token.
   *
   * @default false
   */
  logprobs?: boolean | null;
  /**
   * How many most likely alternatives to return with each output token's log probability.
   *
   * @minimum 0
   * @maximum 20
   */
  top_logprobs?: number | null;
  /**
   * Most tokens to generate.
   *
   * @minimum 1
   */
  max_tokens?: number | null;
  /**
   * Most tokens to generate, reasoning tokens included.
   *
   * @minimum 1
   */
  max_completion_tokens?: number | null;
  /**
   * How many choices to generate.
   *
   * @minimum 1
   * @maximum 128
   * @default 1
   */
  n?: number | null;
  /**
   * Seed for reproducible sampling, where the provider honours it.
   */
  seed?: number | null;
  /**
   * Sequences at which generation stops; the sequence itself is not returned.
   */
  stop?: string | string[] | null;
  /**
   * Send the reply as server-sent events.
   *
   * @default false
   */
  stream?: boolean | null;
  /**
   * Options for streaming; only with `stream: true`.
   */
  stream_options?: StreamOptions | null;
  /**
   * Sampling temperature: higher is more random.
   *
   * @minimum 0
   * @maximum 2
   * @default 1
   */
  temperature?: number | null;
  /**
   * Nucleus sampling: sample only from the tokens that make up this much probability mass.
   *
   * @minimum 0
   * @maximum 1
   * @default 1
   */
  top_p?: number | null;
  /**
   * Tools the model may call.
   */
  tools?: Tool[] | null;
  /**
   * Which tool the model calls.
   */
  tool_choice?: ToolChoice | null;
  /**
   * Whether the model may call several tools in one turn.
   *
   * @default true
   */
  parallel_tool_calls?: boolean | null;
  /**
   * Constrains the form of the reply.
   */
  response_format?: ResponseFormat | null;
  /**
   * Opaque id of the end user, for abuse monitoring.
   */
  user?: string | null;
}
/**
 * One of the most likely alternatives at a token position.
 */
export interface TopLogprob {
  /**
   * The token.
   */
  token: string;
  /**
   * Its log probability.
   */
  logprob: number;
  /**
   * UTF-8 bytes of the token, or null when it has no byte form.
   */
  bytes: number[] | null;
}
/**
 * Log probability of one output token, with the most likely alternatives.
 */
export interface TokenLogprob {
  /**
   * The token.
   */
  token: string;
  /**
   * Its log probability.
   */
  logprob: number;
  /**
   * UTF-8 bytes of the token, or null when it has no byte form.
   */
  bytes: number[] | null;
  /**
   * The most likely tokens at this position, as many as `top_logprobs` asked for.
   */
  top_logprobs: TopLogprob[];
}
/**
 * Log probabilities of a choice's tokens.
 */
export interface Logprobs {
  /**
   * One entry per content token.
   */
  content?: TokenLogprob[] | null;
  /**
   * One entry per refusal token.
   */
  refusal?: TokenLogprob[] | null;
}
/**
 * Token counts of a request.
 */
export interface Usage {
  /**
   * Tokens in the prompt.
   *
   * @minimum 0
   */
  prompt_tokens: number;
  /**
   * Tokens generated.
   *
   * @minimum 0
   */
  completion_tokens: number;
  /**
   * Prompt and generated tokens together.
   *
   * @minimum 0
   */
  total_tokens: number;
  /**
   * Breakdown of the prompt tokens.
   */
  prompt_tokens_details?: {
    /**
     * Prompt tokens served from a cache.
     *
     * @minimum 0
     */
    cached_tokens?: number;
  } | null;
  /**
   * Breakdown of the generated tokens.
   */
  completion_tokens_details?: {
    /**
     * Tokens spent on reasoning.
     *
     * @minimum 0
     */
    reasoning_tokens?: number;
  } | null;
}
/**
 * The message the model generated.
 */
export interface ResponseMessage {
  /**
   * Always `assistant`.
   */
  role: "assistant";
  /**
   * The reply text; null when the model only called tools or refused.
   */
  content?: string | null;
  /**
   * The refusal text, when the model refused.
   */
  refusal?: string | null;
  /**
   * The model's reasoning, for reasoning models that expose it.
   */
  reasoning_content?: string | null;
  /**
   * Tool calls the model made.
   */
  tool_calls?: ToolCall[] | null;
}
/**
 * One generated alternative of a chat completion.
 */
export interface Choice {
  /**
   * Position of this choice among the `n` generated.
   *
   * @minimum 0
   */
  index: number;
  message: ResponseMessage;
  /**
   * Why generation stopped; some providers omit it.
   */
  finish_reason?: FinishReason | null;
  /**
   * Log probabilities, when `logprobs` was asked for.
   */
  logprobs?: Logprobs | null;
}
/**
 * Response body of a chat completion that was not streamed.
 */
export interface ChatCompletion {
  /**
   * Id of the completion.
   */
  id: string;
  /**
   * Always `chat.completion`.
   */
  object: "chat.completion";
  /**
   * Unix time, in seconds, when the completion was created.
   *
   * @minimum 0
   */
  created: number;
  /**
   * The model that generated it.
   */
  model: string;
  /**
   * The generated alternatives.
   */
  choices: Choice[];
  /**
   * Token counts.
   */
  usage?: Usage | null;
  /**
   * Identifies the backend configuration that served the request.
   */
  system_fingerprint?: string | null;
}
/**
 * A piece of a tool call while streaming; pieces with the same `index` belong to one call and their `arguments` are concatenated.
 */
export interface ToolCallDelta {
  /**
   * Which tool call of the choice this piece belongs to.
   *
   * @minimum 0
   */
  index: number;
  /**
   * Id of the call; sent with the first piece.
   */
  id?: string;
  /**
   * Always `function`; sent with the first piece.
   */
  type?: "function";
  /**
   * The function name (first piece) and a fragment of the arguments.
   */
  function?: {
    /**
     * Name of the function.
     */
    name?: string;
    /**
     * Next fragment of the JSON-encoded arguments.
     */
    arguments?: string;
  };
}
/**
 * What a stream chunk adds to a choice's message.
 */
export interface Delta {
  role?: Role;
  /**
   * Next fragment of the reply text.
   */
  content?: string | null;
  /**
   * Next fragment of the refusal text.
   */
  refusal?: string | null;
  /**
   * Next fragment of the model's reasoning.
   */
  reasoning_content?: string | null;
  /**
   * Pieces of tool calls.
   */
  tool_calls?: ToolCallDelta[];
}
/**
 * A choice's part of one stream chunk.
 */
export interface ChunkChoice {
  /**
   * Which choice this part belongs to.
   *
   * @minimum 0
   */
  index: number;
  delta: Delta;
  /**
   * Why generation stopped; null until the choice's last chunk.
   */
  finish_reason?: FinishReason | null;
  /**
   * Log probabilities of the tokens in this chunk.
   */
  logprobs?: Logprobs | null;
}
/**
 * One `data:` event of a streamed chat completion.
 */
export interface ChatCompletionChunk {
  /**
   * Id of the completion; the same in every chunk.
   */
  id: string;
  /**
   * Always `chat.completion.chunk`.
   */
  object: "chat.completion.chunk";
  /**
   * Unix time, in seconds, when the completion was created.
   *
   * @minimum 0
   */
  created: number;
  /**
   * The model that generates it.
   */
  model: string;
  /**
   * Parts of the choices; empty in a usage-only chunk.
   */
  choices: ChunkChoice[];
  /**
   * Token counts; null or absent except where the provider places usage (see dialects.json).
   */
  usage?: Usage | null;
  /**
   * Identifies the backend configuration that served the request.
   */
  system_fingerprint?: string | null;
}
/**
 * Body of an error response, and of an error sent inside a stream.
 */
export interface ErrorBody {
  /**
   * What went wrong.
   */
  error: {
    /**
     * Readable explanation.
     */
    message: string;
    /**
     * Error class, e.g. `invalid_request_error`, `authentication_error`, `server_error`.
     */
    type: string;
    /**
     * Machine-readable code, if any.
     */
    code?: string | number | null;
    /**
     * The request field at fault, if any.
     */
    param?: string | null;
  };
}
/**
 * One prompt token's log probability, in vLLM's `Logprob` form (`vllm/logprobs.py`: `logprob`, `rank`, `decoded_token`).
 */
export interface PromptTokenLogprob {
  /**
   * The natural log of the token's probability given the tokens before it, from the model's own distribution (temperature 1, no cut), so at most 0. A probability of 0 has no finite log and JSON has no -Infinity: it is written as -9999, the value vLLM's logprob entries default to and chatwire-server writes for such a token in `logprobs` too.
   *
   * @maximum 0
   */
  logprob: number;
  /**
   * The token's place among the whole vocabulary by probability at its position: 1 is the likeliest.
   *
   * @minimum 1
   */
  rank: number;
  /**
   * The token's text where it stands in the prompt (after the tokens before it, so a word keeps its leading space).
   */
  decoded_token: string;
}
/**
 * Checks Prediction Guard runs on the prompt before generation.
 */
export interface PredictionGuardInputChecks {
  /**
   * What to do with personal data in the prompt: `block` the request or `replace` the data.
   */
  pii?: ("block" | "replace") | null;
  /**
   * How personal data is replaced when `pii` is `replace`.
   */
  pii_replace_method?: ("random" | "fake" | "category" | "mask") | null;
  /**
   * Reject prompts that look like prompt-injection attacks.
   *
   * @default false
   */
  block_prompt_injection?: boolean | null;
}
/**
 * Checks Prediction Guard runs on the generated text.
 */
export interface PredictionGuardOutputChecks {
  /**
   * Score the reply's factual consistency with the prompt.
   *
   * @default false
   */
  factuality?: boolean | null;
  /**
   * Score the reply's toxicity.
   *
   * @default false
   */
  toxicity?: boolean | null;
}
/**
 * A choice's part of a Prediction Guard stream chunk: `generated_text` is null until the last chunk, which carries the whole text; `logprobs` is the sampled token's log probability as a number.
 */
export interface PredictionGuardChunkChoice {
  /**
   * Which choice this part belongs to.
   *
   * @minimum 0
   */
  index: number;
  delta: Delta;
  /**
   * The whole generated text on the last chunk; null before it.
   */
  generated_text?: string | null;
  /**
   * Log probability of the token in this chunk.
   */
  logprobs?: number | null;
  /**
   * Why generation stopped; null until the last chunk.
   */
  finish_reason?: FinishReason | null;
}
/**
 * One `data:` event of a Prediction Guard stream.
 */
export interface PredictionGuardChatCompletionChunk {
  /**
   * Id of the completion.
   */
  id: string;
  /**
   * Always `chat.completion.chunk`.
   */
  object: "chat.completion.chunk";
  /**
   * Unix time, in seconds, when the completion was created.
   *
   * @minimum 0
   */
  created: number;
  /**
   * The model that generates it.
   */
  model: string;
  /**
   * Parts of the choices.
   */
  choices: PredictionGuardChunkChoice[];
}
/**
 * Body of a Prediction Guard error: the message as a plain string.
 */
export interface PredictionGuardErrorBody {
  /**
   * Readable explanation.
   */
  error: string;
}
