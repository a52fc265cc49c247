// Generated from spec/chat-completions.schema.json by @chatwire/spec codegen. Do not edit: change the spec and run `npm run codegen`.

import { en } from "zod/locales";
import * as z from "zod/mini";

// zod/mini sets no locale, and without one every message reads "Invalid input". As classic zod
// does, English is set unless the application chose a locale of its own.
if (!z.config().localeError) z.config(en());

type Check = (payload: z.core.ParsePayload<object>) => void;

/** JSON Schema `maxProperties`. */
function maxProperties(max: number): Check {
  return (payload) => {
    const count = Object.keys(payload.value).length;
    if (count > max) {
      payload.issues.push({
        code: "custom",
        input: payload.value,
        continue: true,
        message: `has ${count} properties, at most ${max} allowed`,
      });
    }
  };
}

/** JSON Schema `propertyNames`: every key must match `names`. */
function propertyNames(names: z.ZodMiniType): Check {
  return (payload) => {
    for (const key of Object.keys(payload.value)) {
      const check = names.safeParse(key);
      if (!check.success) {
        payload.issues.push({
          code: "custom",
          input: key,
          path: [key],
          continue: true,
          message: `property name is invalid: ${check.error.issues[0]?.message}`,
        });
      }
    }
  };
}

/**
 * JSON Schema `if`/`then`, and `dependentSchemas` (if the key is present, then its schema): a value
 * that matches `condition` must match `consequence`. Each issue says why it applies.
 */
function ifThen(condition: z.ZodMiniType, consequence: z.ZodMiniType, reason: string): Check {
  return (payload) => {
    if (!condition.safeParse(payload.value).success) return;
    const check = consequence.safeParse(payload.value);
    if (check.success) return;
    for (const issue of check.error.issues) {
      payload.issues.push({
        code: "custom",
        input: payload.value,
        path: issue.path,
        continue: true,
        message: `${issue.message} (${reason})`,
      });
    }
  };
}

/** JSON Schema `not`. */
function not(schema: z.ZodMiniType, message: string): z.ZodMiniUnknown {
  return z.unknown().check((payload) => {
    if (schema.safeParse(payload.value).success) payload.issues.push({ code: "custom", input: payload.value, message });
  });
}

/** Author of a message. */
export const RoleSchema = z.literal(["system", "developer", "user", "assistant", "tool"]);

/** Why generation stopped: `stop` (natural end or a stop sequence), `length` (token limit), `tool_calls` (the model called a tool), `content_filter` (output withheld by a filter), `function_call` (legacy tool call). */
export const FinishReasonSchema = z.literal(["stop", "length", "tool_calls", "content_filter", "function_call"]);

/** A piece of text inside a multi-part message content array. */
export const TextContentPartSchema = z.looseObject({ type: z.literal("text"), text: z.string() });

/** An image inside a user message content array. */
export const ImageContentPartSchema = z.looseObject({
  type: z.literal("image_url"),
  image_url: z.looseObject({ url: z.string(), detail: z.optional(z.nullable(z.literal(["auto", "low", "high"]))) }),
});

/** Message text: a plain string, or an array of text parts (plain strings are accepted as parts). */
export const TextContentSchema = z.union([z.string(), z.array(z.union([z.string(), TextContentPartSchema]))]);

/** A call of a function tool made by the model. */
export const ToolCallSchema = z.looseObject({
  id: z.string(),
  type: z.literal("function"),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

/** Instructions that steer the model. */
export const SystemMessageSchema = z.looseObject({
  role: z.literal("system"),
  content: TextContentSchema,
  name: z.optional(z.nullable(z.string())),
});

/** Instructions from the application developer; newer models prefer it to a system message. */
export const DeveloperMessageSchema = z.looseObject({
  role: z.literal("developer"),
  content: TextContentSchema,
  name: z.optional(z.nullable(z.string())),
});

/** A message written by the user. */
export const UserMessageSchema = z.looseObject({
  role: z.literal("user"),
  content: z.union([z.string(), z.array(z.union([z.string(), TextContentPartSchema, ImageContentPartSchema]))]),
  name: z.optional(z.nullable(z.string())),
});

/** A message the model wrote earlier in the conversation. */
export const AssistantMessageSchema = z.looseObject({
  role: z.literal("assistant"),
  content: z.optional(z.nullable(TextContentSchema)),
  name: z.optional(z.nullable(z.string())),
  refusal: z.optional(z.nullable(z.string())),
  tool_calls: z.optional(z.nullable(z.array(ToolCallSchema))),
});

/** The result of a tool call, sent back to the model. */
export const ToolMessageSchema = z.looseObject({
  role: z.literal("tool"),
  content: TextContentSchema,
  tool_call_id: z.string(),
});

/** One message of the conversation, told apart by `role`. */
export const ChatMessageSchema = z.union([
  SystemMessageSchema,
  DeveloperMessageSchema,
  UserMessageSchema,
  AssistantMessageSchema,
  ToolMessageSchema,
]);

/** A function the model may call. */
export const FunctionDefinitionSchema = z.looseObject({
  name: z.string().check(z.regex(new RegExp("^[a-zA-Z0-9_-]{1,64}$", "u"))),
  description: z.optional(z.nullable(z.string())),
  parameters: z.optional(z.nullable(z.looseObject({}))),
  strict: z.optional(z.nullable(z.boolean())),
});

/** A tool the model may call. */
export const ToolSchema = z.looseObject({ type: z.literal("function"), function: FunctionDefinitionSchema });

/** Forces the model to call one named function. */
export const NamedToolChoiceSchema = z.looseObject({
  type: z.literal("function"),
  function: z.looseObject({ name: z.string() }),
});

/** Which tool the model calls: `none` (no tool), `auto` (the model decides), `required` (at least one tool) or one named function. */
export const ToolChoiceSchema = z.union([z.literal(["none", "auto", "required"]), NamedToolChoiceSchema]);

/** Constrains the form of the reply: free `text`, a JSON object (optionally matching `schema`, as OctoAI takes it), or a named JSON Schema. */
export const ResponseFormatSchema = z.union([
  z.looseObject({ type: z.literal("text") }),
  z.looseObject({ type: z.literal("json_object"), schema: z.optional(z.nullable(z.looseObject({}))) }),
  z.looseObject({
    type: z.literal("json_schema"),
    json_schema: z.looseObject({
      name: z.string(),
      description: z.optional(z.nullable(z.string())),
      schema: z.optional(z.nullable(z.looseObject({}))),
      strict: z.optional(z.nullable(z.boolean())),
    }),
  }),
]);

/** Options for a streamed response. */
export const StreamOptionsSchema = z.looseObject({ include_usage: z.optional(z.nullable(z.boolean())) });

/** Request body of POST chat/completions, common to every provider. `null` for an optional field, here and in every object inside a request, means not set, as OpenAI-style APIs take it. */
export const ChatCompletionRequestSchema = z.looseObject({
  model: z.string().check(z.minLength(1)),
  messages: z.array(ChatMessageSchema).check(z.minLength(1)),
  frequency_penalty: z.optional(z.nullable(z.number().check(z.gte(-2), z.lte(2)))),
  presence_penalty: z.optional(z.nullable(z.number().check(z.gte(-2), z.lte(2)))),
  logit_bias: z.optional(z.nullable(z.catchall(z.object({}), z.number().check(z.gte(-100), z.lte(100))))),
  logprobs: z.optional(z.nullable(z.boolean())),
  top_logprobs: z.optional(z.nullable(z.int().check(z.gte(0), z.lte(20)))),
  max_tokens: z.optional(z.nullable(z.int().check(z.gte(1)))),
  max_completion_tokens: z.optional(z.nullable(z.int().check(z.gte(1)))),
  n: z.optional(z.nullable(z.int().check(z.gte(1), z.lte(128)))),
  seed: z.optional(z.nullable(z.int())),
  stop: z.optional(z.nullable(z.union([z.string(), z.array(z.string())]))),
  stream: z.optional(z.nullable(z.boolean())),
  stream_options: z.optional(z.nullable(StreamOptionsSchema)),
  temperature: z.optional(z.nullable(z.number().check(z.gte(0), z.lte(2)))),
  top_p: z.optional(z.nullable(z.number().check(z.gte(0), z.lte(1)))),
  tools: z.optional(z.nullable(z.array(ToolSchema))),
  tool_choice: z.optional(z.nullable(ToolChoiceSchema)),
  parallel_tool_calls: z.optional(z.nullable(z.boolean())),
  response_format: z.optional(z.nullable(ResponseFormatSchema)),
  user: z.optional(z.nullable(z.string())),
});

/** One of the most likely alternatives at a token position. */
export const TopLogprobSchema = z.looseObject({
  token: z.string(),
  logprob: z.number(),
  bytes: z.nullable(z.array(z.int().check(z.gte(0), z.lte(255)))),
});

/** Log probability of one output token, with the most likely alternatives. */
export const TokenLogprobSchema = z.looseObject({
  token: z.string(),
  logprob: z.number(),
  bytes: z.nullable(z.array(z.int().check(z.gte(0), z.lte(255)))),
  top_logprobs: z.array(TopLogprobSchema),
});

/** Log probabilities of a choice's tokens. */
export const LogprobsSchema = z.looseObject({
  content: z.optional(z.nullable(z.array(TokenLogprobSchema))),
  refusal: z.optional(z.nullable(z.array(TokenLogprobSchema))),
});

/** Token counts of a request. */
export const UsageSchema = z.looseObject({
  prompt_tokens: z.int().check(z.gte(0)),
  completion_tokens: z.int().check(z.gte(0)),
  total_tokens: z.int().check(z.gte(0)),
  prompt_tokens_details: z.optional(z.nullable(z.looseObject({ cached_tokens: z.optional(z.int().check(z.gte(0))) }))),
  completion_tokens_details: z.optional(
    z.nullable(z.looseObject({ reasoning_tokens: z.optional(z.int().check(z.gte(0))) })),
  ),
});

/** The message the model generated. */
export const ResponseMessageSchema = z.looseObject({
  role: z.literal("assistant"),
  content: z.optional(z.nullable(z.string())),
  refusal: z.optional(z.nullable(z.string())),
  reasoning_content: z.optional(z.nullable(z.string())),
  tool_calls: z.optional(z.nullable(z.array(ToolCallSchema))),
});

/** One generated alternative of a chat completion. */
export const ChoiceSchema = z.looseObject({
  index: z.int().check(z.gte(0)),
  message: ResponseMessageSchema,
  finish_reason: z.optional(z.nullable(FinishReasonSchema)),
  logprobs: z.optional(z.nullable(LogprobsSchema)),
});

/** Response body of a chat completion that was not streamed. */
export const ChatCompletionSchema = z.looseObject({
  id: z.string(),
  object: z.literal("chat.completion"),
  created: z.int().check(z.gte(0)),
  model: z.string(),
  choices: z.array(ChoiceSchema),
  usage: z.optional(z.nullable(UsageSchema)),
  system_fingerprint: z.optional(z.nullable(z.string())),
});

/** A piece of a tool call while streaming; pieces with the same `index` belong to one call and their `arguments` are concatenated. */
export const ToolCallDeltaSchema = z.looseObject({
  index: z.int().check(z.gte(0)),
  id: z.optional(z.string()),
  type: z.optional(z.literal("function")),
  function: z.optional(z.looseObject({ name: z.optional(z.string()), arguments: z.optional(z.string()) })),
});

/** What a stream chunk adds to a choice's message. */
export const DeltaSchema = z.looseObject({
  role: z.optional(RoleSchema),
  content: z.optional(z.nullable(z.string())),
  refusal: z.optional(z.nullable(z.string())),
  reasoning_content: z.optional(z.nullable(z.string())),
  tool_calls: z.optional(z.array(ToolCallDeltaSchema)),
});

/** A choice's part of one stream chunk. */
export const ChunkChoiceSchema = z.looseObject({
  index: z.int().check(z.gte(0)),
  delta: DeltaSchema,
  finish_reason: z.optional(z.nullable(FinishReasonSchema)),
  logprobs: z.optional(z.nullable(LogprobsSchema)),
});

/** One `data:` event of a streamed chat completion. */
export const ChatCompletionChunkSchema = z.looseObject({
  id: z.string(),
  object: z.literal("chat.completion.chunk"),
  created: z.int().check(z.gte(0)),
  model: z.string(),
  choices: z.array(ChunkChoiceSchema),
  usage: z.optional(z.nullable(UsageSchema)),
  system_fingerprint: z.optional(z.nullable(z.string())),
});

/** Body of an error response, and of an error sent inside a stream. */
export const ErrorBodySchema = z.looseObject({
  error: z.looseObject({
    message: z.string(),
    type: z.string(),
    code: z.optional(z.nullable(z.union([z.string(), z.int()]))),
    param: z.optional(z.nullable(z.string())),
  }),
});

/** OctoAI text-gen request: the common request plus OctoAI's sampling and logging fields. `null` for an optional field means not set. */
export const OctoAIChatCompletionRequestSchema = z.intersection(
  ChatCompletionRequestSchema,
  z.looseObject({
    max_tokens: z.optional(z.nullable(z.int().check(z.gte(1)))),
    ignore_eos: z.optional(z.nullable(z.boolean())),
    log_prompt: z.optional(z.nullable(z.boolean())),
    loglikelihood: z.optional(z.nullable(z.boolean())),
    min_p: z.optional(z.nullable(z.number().check(z.gte(0), z.lte(1)))),
    peft: z.optional(z.nullable(z.string())),
    repetition_penalty: z.optional(z.nullable(z.number().check(z.gt(0)))),
    response_format: z.optional(z.nullable(ResponseFormatSchema)),
    top_logprobs: z.optional(z.nullable(z.int().check(z.gte(0), z.lte(20)))),
    stop: z.optional(z.nullable(z.union([z.string(), z.array(z.string())]))),
  }),
);

/** One prompt token's log probability, in vLLM's `Logprob` form (`vllm/logprobs.py`: `logprob`, `rank`, `decoded_token`). */
export const PromptTokenLogprobSchema = z.looseObject({
  logprob: z.number().check(z.lte(0)),
  rank: z.int().check(z.gte(1)),
  decoded_token: z.string(),
});

/** The log probability of every prompt token, OctoAI's answer to `loglikelihood: true` ("log probabilities for all prompt tokens excluding the first one from prefill step"). OctoAI's reference documents the request field but no response field for it, so this takes vLLM's `prompt_logprobs` (`list[dict[int, Logprob] | None]`, vLLM's response extension for the same thing): one entry per prompt token, in order, as many as `usage.prompt_tokens`. The first is null (no token comes before it to predict it); each other maps the token's id, written as a decimal string, to its `PromptTokenLogprob`. */
export const PromptLogprobsSchema = z.array(
  z.nullable(
    z
      .catchall(z.object({}), PromptTokenLogprobSchema)
      .check(
        propertyNames(z.string().check(z.regex(new RegExp("^(0|[1-9][0-9]*)$", "u")))),
        z.meta({ propertyNames: { pattern: "^(0|[1-9][0-9]*)$" } }),
      ),
  ),
);

/** OctoAI's response to a chat completion that was not streamed: the common response plus `prompt_logprobs`. */
export const OctoAIChatCompletionSchema = z.intersection(
  ChatCompletionSchema,
  z.looseObject({ prompt_logprobs: z.optional(z.nullable(PromptLogprobsSchema)) }),
);

/** One `data:` event of an OctoAI stream: the common chunk plus `prompt_logprobs`. */
export const OctoAIChatCompletionChunkSchema = z.intersection(
  ChatCompletionChunkSchema,
  z.looseObject({ prompt_logprobs: z.optional(z.nullable(PromptLogprobsSchema)) }),
);

/** Checks Prediction Guard runs on the prompt before generation. */
export const PredictionGuardInputChecksSchema = z.looseObject({
  pii: z.optional(z.nullable(z.literal(["block", "replace"]))),
  pii_replace_method: z.optional(z.nullable(z.literal(["random", "fake", "category", "mask"]))),
  block_prompt_injection: z.optional(z.nullable(z.boolean())),
});

/** Checks Prediction Guard runs on the generated text. */
export const PredictionGuardOutputChecksSchema = z.looseObject({
  factuality: z.optional(z.nullable(z.boolean())),
  toxicity: z.optional(z.nullable(z.boolean())),
});

/** Prediction Guard chat request: the common request plus its sampling defaults and input/output checks. `null` for an optional field means not set (Prediction Guard's Python client sends every unset option as null). */
export const PredictionGuardChatCompletionRequestSchema = z.intersection(
  ChatCompletionRequestSchema,
  z.looseObject({
    max_completion_tokens: z.optional(z.nullable(z.int().check(z.gte(1)))),
    temperature: z.optional(z.nullable(z.number().check(z.gte(0), z.lte(2)))),
    top_p: z.optional(z.nullable(z.number().check(z.gte(0), z.lte(1)))),
    top_k: z.optional(z.nullable(z.int().check(z.gte(1)))),
    reasoning_effort: z.optional(z.nullable(z.literal(["low", "medium", "high"]))),
    input: z.optional(z.nullable(PredictionGuardInputChecksSchema)),
    output: z.optional(z.nullable(PredictionGuardOutputChecksSchema)),
  }),
);

/** A choice's part of a Prediction Guard stream chunk: `generated_text` is null until the last chunk, which carries the whole text; `logprobs` is the sampled token's log probability as a number. */
export const PredictionGuardChunkChoiceSchema = z.looseObject({
  index: z.int().check(z.gte(0)),
  delta: DeltaSchema,
  generated_text: z.optional(z.nullable(z.string())),
  logprobs: z.optional(z.nullable(z.number())),
  finish_reason: z.optional(z.nullable(FinishReasonSchema)),
});

/** One `data:` event of a Prediction Guard stream. */
export const PredictionGuardChatCompletionChunkSchema = z.looseObject({
  id: z.string(),
  object: z.literal("chat.completion.chunk"),
  created: z.int().check(z.gte(0)),
  model: z.string(),
  choices: z.array(PredictionGuardChunkChoiceSchema),
});

/** Body of a Prediction Guard error: the message as a plain string. */
export const PredictionGuardErrorBodySchema = z.looseObject({ error: z.string() });

/** DigitalOcean Gradient serverless-inference request: the common request with Gradient's limits and `metadata`. `null` for an optional field means not set. */
export const GradientChatCompletionRequestSchema = z.intersection(
  ChatCompletionRequestSchema,
  z
    .looseObject({
      metadata: z.optional(
        z.nullable(
          z
            .catchall(z.object({}), z.string().check(z.maxLength(512)))
            .check(
              maxProperties(16),
              propertyNames(z.string().check(z.maxLength(64))),
              z.meta({ maxProperties: 16, propertyNames: { maxLength: 64 } }),
            ),
        ),
      ),
      stop: z.optional(z.nullable(z.union([z.string(), z.array(z.string()).check(z.maxLength(4))]))),
      tools: z.optional(z.nullable(z.array(ToolSchema).check(z.maxLength(128)))),
      top_logprobs: z.optional(z.nullable(z.int().check(z.gte(0), z.lte(20)))),
    })
    .check(
      ifThen(
        z.looseObject({
          top_logprobs: not(z.null(), "Invalid input: must not be null").check(z.meta({ not: { type: "null" } })),
        }),
        z.looseObject({ logprobs: z.literal(true) }),
        "required because top_logprobs is set",
      ),
      z.meta({
        if: { properties: { top_logprobs: { not: { type: "null" } } }, required: ["top_logprobs"] },
        then: { properties: { logprobs: { const: true } }, required: ["logprobs"] },
      }),
    ),
);

/** Every schema of the spec, by its `$defs` name. */
export const specSchemas = {
  Role: RoleSchema,
  FinishReason: FinishReasonSchema,
  TextContentPart: TextContentPartSchema,
  ImageContentPart: ImageContentPartSchema,
  TextContent: TextContentSchema,
  ToolCall: ToolCallSchema,
  SystemMessage: SystemMessageSchema,
  DeveloperMessage: DeveloperMessageSchema,
  UserMessage: UserMessageSchema,
  AssistantMessage: AssistantMessageSchema,
  ToolMessage: ToolMessageSchema,
  ChatMessage: ChatMessageSchema,
  FunctionDefinition: FunctionDefinitionSchema,
  Tool: ToolSchema,
  NamedToolChoice: NamedToolChoiceSchema,
  ToolChoice: ToolChoiceSchema,
  ResponseFormat: ResponseFormatSchema,
  StreamOptions: StreamOptionsSchema,
  ChatCompletionRequest: ChatCompletionRequestSchema,
  TopLogprob: TopLogprobSchema,
  TokenLogprob: TokenLogprobSchema,
  Logprobs: LogprobsSchema,
  Usage: UsageSchema,
  ResponseMessage: ResponseMessageSchema,
  Choice: ChoiceSchema,
  ChatCompletion: ChatCompletionSchema,
  ToolCallDelta: ToolCallDeltaSchema,
  Delta: DeltaSchema,
  ChunkChoice: ChunkChoiceSchema,
  ChatCompletionChunk: ChatCompletionChunkSchema,
  ErrorBody: ErrorBodySchema,
  OctoAIChatCompletionRequest: OctoAIChatCompletionRequestSchema,
  PromptTokenLogprob: PromptTokenLogprobSchema,
  PromptLogprobs: PromptLogprobsSchema,
  OctoAIChatCompletion: OctoAIChatCompletionSchema,
  OctoAIChatCompletionChunk: OctoAIChatCompletionChunkSchema,
  PredictionGuardInputChecks: PredictionGuardInputChecksSchema,
  PredictionGuardOutputChecks: PredictionGuardOutputChecksSchema,
  PredictionGuardChatCompletionRequest: PredictionGuardChatCompletionRequestSchema,
  PredictionGuardChunkChoice: PredictionGuardChunkChoiceSchema,
  PredictionGuardChatCompletionChunk: PredictionGuardChatCompletionChunkSchema,
  PredictionGuardErrorBody: PredictionGuardErrorBodySchema,
  GradientChatCompletionRequest: GradientChatCompletionRequestSchema,
} as const;

export type SpecSchemaName = keyof typeof specSchemas;
