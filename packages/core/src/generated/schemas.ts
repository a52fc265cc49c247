// Generated from spec/chat-completions.schema.json by @chatwire/spec codegen. Do not edit: change the spec and run `npm run codegen`.

import { z } from "zod";

/** Author of a message. */
export const RoleSchema = z.enum(["system", "developer", "user", "assistant", "tool"]);

/** Why generation stopped: `stop` (natural end or a stop sequence), `length` (token limit), `tool_calls` (the model called a tool), `content_filter` (output withheld by a filter), `function_call` (legacy tool call). */
export const FinishReasonSchema = z.enum(["stop", "length", "tool_calls", "content_filter", "function_call"]);

/** A piece of text inside a multi-part message content array. */
export const TextContentPartSchema = z.object({ type: z.literal("text"), text: z.string() }).catchall(z.any());

/** An image inside a user message content array. */
export const ImageContentPartSchema = z
  .object({
    type: z.literal("image_url"),
    image_url: z
      .object({ url: z.string(), detail: z.union([z.enum(["auto", "low", "high"]), z.null()]).optional() })
      .catchall(z.any()),
  })
  .catchall(z.any());

/** Message text: a plain string, or an array of text parts (plain strings are accepted as parts). */
export const TextContentSchema = z.union([z.string(), z.array(z.union([z.string(), TextContentPartSchema]))]);

/** A call of a function tool made by the model. */
export const ToolCallSchema = z
  .object({
    id: z.string(),
    type: z.literal("function"),
    function: z.object({ name: z.string(), arguments: z.string() }).catchall(z.any()),
  })
  .catchall(z.any());

/** Instructions that steer the model. */
export const SystemMessageSchema = z
  .object({ role: z.literal("system"), content: TextContentSchema, name: z.union([z.string(), z.null()]).optional() })
  .catchall(z.any());

/** Instructions from the application developer; newer models prefer it to a system message. */
export const DeveloperMessageSchema = z
  .object({
    role: z.literal("developer"),
    content: TextContentSchema,
    name: z.union([z.string(), z.null()]).optional(),
  })
  .catchall(z.any());

/** A message written by the user. */
export const UserMessageSchema = z
  .object({
    role: z.literal("user"),
    content: z.union([z.string(), z.array(z.union([z.string(), TextContentPartSchema, ImageContentPartSchema]))]),
    name: z.union([z.string(), z.null()]).optional(),
  })
  .catchall(z.any());

/** A message the model wrote earlier in the conversation. */
export const AssistantMessageSchema = z
  .object({
    role: z.literal("assistant"),
    content: z.union([TextContentSchema, z.null()]).optional(),
    name: z.union([z.string(), z.null()]).optional(),
    refusal: z.union([z.string(), z.null()]).optional(),
    tool_calls: z.union([z.array(ToolCallSchema), z.null()]).optional(),
  })
  .catchall(z.any());

/** The result of a tool call, sent back to the model. */
export const ToolMessageSchema = z
  .object({ role: z.literal("tool"), content: TextContentSchema, tool_call_id: z.string() })
  .catchall(z.any());

/** One message of the conversation, told apart by `role`. */
export const ChatMessageSchema = z.union([
  SystemMessageSchema,
  DeveloperMessageSchema,
  UserMessageSchema,
  AssistantMessageSchema,
  ToolMessageSchema,
]);

/** A function the model may call. */
export const FunctionDefinitionSchema = z
  .object({
    name: z.string().regex(new RegExp("^[a-zA-Z0-9_-]{1,64}$")),
    description: z.union([z.string(), z.null()]).optional(),
    parameters: z.union([z.record(z.string(), z.any()), z.null()]).optional(),
    strict: z.union([z.boolean(), z.null()]).optional(),
  })
  .catchall(z.any());

/** A tool the model may call. */
export const ToolSchema = z
  .object({ type: z.literal("function"), function: FunctionDefinitionSchema })
  .catchall(z.any());

/** Forces the model to call one named function. */
export const NamedToolChoiceSchema = z
  .object({ type: z.literal("function"), function: z.object({ name: z.string() }).catchall(z.any()) })
  .catchall(z.any());

/** Which tool the model calls: `none` (no tool), `auto` (the model decides), `required` (at least one tool) or one named function. */
export const ToolChoiceSchema = z.union([z.enum(["none", "auto", "required"]), NamedToolChoiceSchema]);

/** Constrains the form of the reply: free `text`, a JSON object (optionally matching `schema`, as OctoAI takes it), or a named JSON Schema. */
export const ResponseFormatSchema = z.union([
  z.object({ type: z.literal("text") }).catchall(z.any()),
  z
    .object({ type: z.literal("json_object"), schema: z.union([z.record(z.string(), z.any()), z.null()]).optional() })
    .catchall(z.any()),
  z
    .object({
      type: z.literal("json_schema"),
      json_schema: z
        .object({
          name: z.string(),
          description: z.union([z.string(), z.null()]).optional(),
          schema: z.union([z.record(z.string(), z.any()), z.null()]).optional(),
          strict: z.union([z.boolean(), z.null()]).optional(),
        })
        .catchall(z.any()),
    })
    .catchall(z.any()),
]);

/** Options for a streamed response. */
export const StreamOptionsSchema = z
  .object({ include_usage: z.union([z.boolean(), z.null()]).optional() })
  .catchall(z.any());

/** Request body of POST chat/completions, common to every provider. `null` for an optional field, here and in every object inside a request, means not set, as OpenAI-style APIs take it. */
export const ChatCompletionRequestSchema = z
  .object({
    model: z.string().min(1),
    messages: z.array(ChatMessageSchema).min(1),
    frequency_penalty: z.union([z.number().gte(-2).lte(2), z.null()]).optional(),
    presence_penalty: z.union([z.number().gte(-2).lte(2), z.null()]).optional(),
    logit_bias: z.union([z.record(z.string(), z.number().gte(-100).lte(100)), z.null()]).optional(),
    logprobs: z.union([z.boolean(), z.null()]).optional(),
    top_logprobs: z.union([z.number().int().gte(0).lte(20), z.null()]).optional(),
    max_tokens: z.union([z.number().int().gte(1), z.null()]).optional(),
    max_completion_tokens: z.union([z.number().int().gte(1), z.null()]).optional(),
    n: z.union([z.number().int().gte(1).lte(128), z.null()]).optional(),
    seed: z.union([z.number().int(), z.null()]).optional(),
    stop: z.union([z.string(), z.array(z.string()), z.null()]).optional(),
    stream: z.union([z.boolean(), z.null()]).optional(),
    stream_options: z.union([StreamOptionsSchema, z.null()]).optional(),
    temperature: z.union([z.number().gte(0).lte(2), z.null()]).optional(),
    top_p: z.union([z.number().gte(0).lte(1), z.null()]).optional(),
    tools: z.union([z.array(ToolSchema), z.null()]).optional(),
    tool_choice: z.union([ToolChoiceSchema, z.null()]).optional(),
    parallel_tool_calls: z.union([z.boolean(), z.null()]).optional(),
    response_format: z.union([ResponseFormatSchema, z.null()]).optional(),
    user: z.union([z.string(), z.null()]).optional(),
  })
  .catchall(z.any());

/** One of the most likely alternatives at a token position. */
export const TopLogprobSchema = z
  .object({
    token: z.string(),
    logprob: z.number(),
    bytes: z.union([z.array(z.number().int().gte(0).lte(255)), z.null()]),
  })
  .catchall(z.any());

/** Log probability of one output token, with the most likely alternatives. */
export const TokenLogprobSchema = z
  .object({
    token: z.string(),
    logprob: z.number(),
    bytes: z.union([z.array(z.number().int().gte(0).lte(255)), z.null()]),
    top_logprobs: z.array(TopLogprobSchema),
  })
  .catchall(z.any());

/** Log probabilities of a choice's tokens. */
export const LogprobsSchema = z
  .object({
    content: z.union([z.array(TokenLogprobSchema), z.null()]).optional(),
    refusal: z.union([z.array(TokenLogprobSchema), z.null()]).optional(),
  })
  .catchall(z.any());

/** Token counts of a request. */
export const UsageSchema = z
  .object({
    prompt_tokens: z.number().int().gte(0),
    completion_tokens: z.number().int().gte(0),
    total_tokens: z.number().int().gte(0),
    prompt_tokens_details: z
      .union([z.object({ cached_tokens: z.number().int().gte(0).optional() }).catchall(z.any()), z.null()])
      .optional(),
    completion_tokens_details: z
      .union([z.object({ reasoning_tokens: z.number().int().gte(0).optional() }).catchall(z.any()), z.null()])
      .optional(),
  })
  .catchall(z.any());

/** The message the model generated. */
export const ResponseMessageSchema = z
  .object({
    role: z.literal("assistant"),
    content: z.union([z.string(), z.null()]).optional(),
    refusal: z.union([z.string(), z.null()]).optional(),
    reasoning_content: z.union([z.string(), z.null()]).optional(),
    tool_calls: z.union([z.array(ToolCallSchema), z.null()]).optional(),
  })
  .catchall(z.any());

/** One generated alternative of a chat completion. */
export const ChoiceSchema = z
  .object({
    index: z.number().int().gte(0),
    message: ResponseMessageSchema,
    finish_reason: z.union([FinishReasonSchema, z.null()]).optional(),
    logprobs: z.union([LogprobsSchema, z.null()]).optional(),
  })
  .catchall(z.any());

/** Response body of a chat completion that was not streamed. */
export const ChatCompletionSchema = z
  .object({
    id: z.string(),
    object: z.literal("chat.completion"),
    created: z.number().int().gte(0),
    model: z.string(),
    choices: z.array(ChoiceSchema),
    usage: z.union([UsageSchema, z.null()]).optional(),
    system_fingerprint: z.union([z.string(), z.null()]).optional(),
  })
  .catchall(z.any());

/** A piece of a tool call while streaming; pieces with the same `index` belong to one call and their `arguments` are concatenated. */
export const ToolCallDeltaSchema = z
  .object({
    index: z.number().int().gte(0),
    id: z.string().optional(),
    type: z.literal("function").optional(),
    function: z.object({ name: z.string().optional(), arguments: z.string().optional() }).catchall(z.any()).optional(),
  })
  .catchall(z.any());

/** What a stream chunk adds to a choice's message. */
export const DeltaSchema = z
  .object({
    role: RoleSchema.optional(),
    content: z.union([z.string(), z.null()]).optional(),
    refusal: z.union([z.string(), z.null()]).optional(),
    reasoning_content: z.union([z.string(), z.null()]).optional(),
    tool_calls: z.array(ToolCallDeltaSchema).optional(),
  })
  .catchall(z.any());

/** A choice's part of one stream chunk. */
export const ChunkChoiceSchema = z
  .object({
    index: z.number().int().gte(0),
    delta: DeltaSchema,
    finish_reason: z.union([FinishReasonSchema, z.null()]).optional(),
    logprobs: z.union([LogprobsSchema, z.null()]).optional(),
  })
  .catchall(z.any());

/** One `data:` event of a streamed chat completion. */
export const ChatCompletionChunkSchema = z
  .object({
    id: z.string(),
    object: z.literal("chat.completion.chunk"),
    created: z.number().int().gte(0),
    model: z.string(),
    choices: z.array(ChunkChoiceSchema),
    usage: z.union([UsageSchema, z.null()]).optional(),
    system_fingerprint: z.union([z.string(), z.null()]).optional(),
  })
  .catchall(z.any());

/** Body of an error response, and of an error sent inside a stream. */
export const ErrorBodySchema = z
  .object({
    error: z
      .object({
        message: z.string(),
        type: z.string(),
        code: z.union([z.string(), z.number().int(), z.null()]).optional(),
        param: z.union([z.string(), z.null()]).optional(),
      })
      .catchall(z.any()),
  })
  .catchall(z.any());

/** OctoAI text-gen request: the common request plus OctoAI's sampling and logging fields. `null` for an optional field means not set. */
export const OctoAIChatCompletionRequestSchema = z.intersection(
  ChatCompletionRequestSchema,
  z
    .object({
      max_tokens: z.union([z.number().int().gte(1), z.null()]).optional(),
      ignore_eos: z.union([z.boolean(), z.null()]).optional(),
      log_prompt: z.union([z.boolean(), z.null()]).optional(),
      loglikelihood: z.union([z.boolean(), z.null()]).optional(),
      min_p: z.union([z.number().gte(0).lte(1), z.null()]).optional(),
      peft: z.union([z.string(), z.null()]).optional(),
      repetition_penalty: z.union([z.number().gt(0), z.null()]).optional(),
      response_format: z.union([ResponseFormatSchema, z.null()]).optional(),
      top_logprobs: z.union([z.number().int().gte(0).lte(20), z.null()]).optional(),
      stop: z.union([z.string(), z.array(z.string()), z.null()]).optional(),
    })
    .catchall(z.any()),
);

/** Checks Prediction Guard runs on the prompt before generation. */
export const PredictionGuardInputChecksSchema = z
  .object({
    pii: z.union([z.enum(["block", "replace"]), z.null()]).optional(),
    pii_replace_method: z.union([z.enum(["random", "fake", "category", "mask"]), z.null()]).optional(),
    block_prompt_injection: z.union([z.boolean(), z.null()]).optional(),
  })
  .catchall(z.any());

/** Checks Prediction Guard runs on the generated text. */
export const PredictionGuardOutputChecksSchema = z
  .object({
    factuality: z.union([z.boolean(), z.null()]).optional(),
    toxicity: z.union([z.boolean(), z.null()]).optional(),
  })
  .catchall(z.any());

/** Prediction Guard chat request: the common request plus its sampling defaults and input/output checks. `null` for an optional field means not set (Prediction Guard's Python client sends every unset option as null). */
export const PredictionGuardChatCompletionRequestSchema = z.intersection(
  ChatCompletionRequestSchema,
  z
    .object({
      max_completion_tokens: z.union([z.number().int().gte(1), z.null()]).optional(),
      temperature: z.union([z.number().gte(0).lte(2), z.null()]).optional(),
      top_p: z.union([z.number().gte(0).lte(1), z.null()]).optional(),
      top_k: z.union([z.number().int().gte(1), z.null()]).optional(),
      input: z.union([PredictionGuardInputChecksSchema, z.null()]).optional(),
      output: z.union([PredictionGuardOutputChecksSchema, z.null()]).optional(),
    })
    .catchall(z.any()),
);

/** A choice's part of a Prediction Guard stream chunk: `generated_text` is null until the last chunk, which carries the whole text; `logprobs` is the sampled token's log probability as a number. */
export const PredictionGuardChunkChoiceSchema = z
  .object({
    index: z.number().int().gte(0),
    delta: DeltaSchema,
    generated_text: z.union([z.string(), z.null()]).optional(),
    logprobs: z.union([z.number(), z.null()]).optional(),
    finish_reason: z.union([FinishReasonSchema, z.null()]).optional(),
  })
  .catchall(z.any());

/** One `data:` event of a Prediction Guard stream. */
export const PredictionGuardChatCompletionChunkSchema = z
  .object({
    id: z.string(),
    object: z.literal("chat.completion.chunk"),
    created: z.number().int().gte(0),
    model: z.string(),
    choices: z.array(PredictionGuardChunkChoiceSchema),
  })
  .catchall(z.any());

/** Body of a Prediction Guard error: the message as a plain string. */
export const PredictionGuardErrorBodySchema = z.object({ error: z.string() }).catchall(z.any());

/** DigitalOcean Gradient serverless-inference request: the common request with Gradient's limits and `metadata`. `null` for an optional field means not set. */
export const GradientChatCompletionRequestSchema = z.intersection(
  ChatCompletionRequestSchema,
  z
    .object({
      metadata: z
        .union([
          z
            .record(z.string(), z.string().max(512))
            .superRefine((value, ctx) => {
              if (Object.keys(value).length > 16) {
                ctx.addIssue({
                  code: "custom",
                  input: value,
                  message: `has ${Object.keys(value).length} properties, at most 16 allowed`,
                });
              }
              for (const key of Object.keys(value)) {
                const keyCheck = z.string().max(64).safeParse(key);
                if (!keyCheck.success) {
                  ctx.addIssue({
                    code: "custom",
                    input: key,
                    path: [key],
                    message: `property name is invalid: ${keyCheck.error.issues[0]?.message}`,
                  });
                }
              }
            })
            .meta({ maxProperties: 16, propertyNames: { maxLength: 64 } }),
          z.null(),
        ])
        .optional(),
      stop: z.union([z.string(), z.array(z.string()).max(4), z.null()]).optional(),
      tools: z.union([z.array(ToolSchema).max(128), z.null()]).optional(),
      top_logprobs: z.union([z.number().int().gte(0).lte(20), z.null()]).optional(),
    })
    .catchall(z.any())
    .superRefine((value, ctx) => {
      if (
        "top_logprobs" in value &&
        z
          .object({
            top_logprobs: z
              .any()
              .refine(
                (value) => !z.null().safeParse(value).success,
                "Invalid input: Should NOT be valid against schema",
              ),
          })
          .catchall(z.any())
          .safeParse(value).success
      ) {
        const check = z
          .object({ logprobs: z.literal(true) })
          .catchall(z.any())
          .safeParse(value);
        if (!check.success) {
          for (const issue of check.error.issues) {
            ctx.addIssue({
              code: "custom",
              input: value,
              path: issue.path,
              message: `${issue.message} (required because top_logprobs is set)`,
            });
          }
        }
      }
    })
    .meta({
      if: {
        properties: { top_logprobs: { not: { type: "null" } } },
        required: ["top_logprobs"],
        additionalProperties: true,
      },
      then: { properties: { logprobs: { const: true } }, required: ["logprobs"], additionalProperties: true },
    }),
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
  PredictionGuardInputChecks: PredictionGuardInputChecksSchema,
  PredictionGuardOutputChecks: PredictionGuardOutputChecksSchema,
  PredictionGuardChatCompletionRequest: PredictionGuardChatCompletionRequestSchema,
  PredictionGuardChunkChoice: PredictionGuardChunkChoiceSchema,
  PredictionGuardChatCompletionChunk: PredictionGuardChatCompletionChunkSchema,
  PredictionGuardErrorBody: PredictionGuardErrorBodySchema,
  GradientChatCompletionRequest: GradientChatCompletionRequestSchema,
} as const;

export type SpecSchemaName = keyof typeof specSchemas;
