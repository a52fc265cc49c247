import { type DialectId, dialects } from "@chatwire/core";
import { jsonPath } from "@chatwire/core/internal";
import { dialectValidators } from "@chatwire/core/validators";
import type { SamplingParams } from "../engine/generate.js";
import type { TemplateMessage } from "../engine/runtime.js";
import { ApiError } from "./errors.js";
import { checkSchema } from "./schema-check.js";

/** The fields of a chat request the server acts on, across all three dialects' request types. */
interface ChatBody {
  model: string;
  messages: { role: string; content?: unknown; tool_calls?: unknown; name?: string }[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean | null };
  n?: number;
  temperature?: number;
  top_p?: number;
  top_k?: number;
  min_p?: number;
  seed?: number;
  stop?: string | string[];
  frequency_penalty?: number;
  presence_penalty?: number;
  repetition_penalty?: number;
  logit_bias?: Record<string, number>;
  ignore_eos?: boolean;
  logprobs?: boolean;
  top_logprobs?: number;
  response_format?: { type: string; json_schema?: { schema?: object | null }; schema?: object | null };
  tools?: { type: "function"; function: { name: string; parameters?: object | null } }[];
  tool_choice?: string | { type: "function"; function: { name: string } };
  /** OctoAI: the prompt tokens' log probabilities. */
  loglikelihood?: boolean;
  /** OctoAI: the LoRA adapter to decode with. */
  peft?: string;
}

/** The grammar a request's output must follow. */
export type Structure = { kind: "json" } | { kind: "schema"; schema: object; where: string };

/** A chat request in the server's own terms: everything the engine and the wire writer need. */
export interface ChatTask {
  dialect: DialectId;
  stream: boolean;
  includeUsage: boolean;
  n: number;
  messages: TemplateMessage[];
  sampling: Omit<SamplingParams, "grammar">;
  structure: Structure | undefined;
  /** The output is a forced tool call, answered as `tool_calls`. */
  toolCall: boolean;
  /** OctoAI's `loglikelihood`: score every prompt token after the first. */
  loglikelihood: boolean;
  /** OctoAI's `peft`: the name of the LoRA adapter (`--lora NAME=PATH`) to decode with. */
  peft: string | undefined;
}

/** What the request parser checks a request against, before any work that grows with the request. */
export interface RequestLimits {
  modelId: string;
  vocabularySize: number;
  /** Choices the server can generate at once (`--parallel`). */
  maxChoices: number;
  /** Messages beyond which no prompt could fit the context. */
  maxMessages: number;
  /** UTF-8 bytes of message text beyond which no prompt could fit the context. */
  maxPromptBytes: number;
}

const DEFAULT_MAX_TOKENS = 256;

/**
 * Turns a raw request body into a ChatTask, or throws the 400/404 that says what is wrong. Every
 * client error is decided here, before any tokenizing or grammar work.
 */
export function parseChatRequest(dialect: DialectId, raw: unknown, limits: RequestLimits): ChatTask {
  const body = validate(dialect, withoutNulls(raw));
  if (body.model !== limits.modelId) {
    throw new ApiError(
      "model_not_found",
      `The model \`${body.model}\` does not exist; this server serves \`${limits.modelId}\` (GET /v1/models).`,
      { param: "model" },
    );
  }
  checkSamplingFields(body, limits.vocabularySize);
  const n = body.n ?? 1;
  if (n > limits.maxChoices) {
    throw new ApiError(
      "limit_exceeded",
      `n = ${n} needs ${n} sequences; this server runs ${limits.maxChoices} (--parallel).`,
      { param: "n" },
    );
  }
  if (body.messages.length > limits.maxMessages) {
    throw new ApiError(
      "context_length_exceeded",
      `The request has ${body.messages.length} messages; no more than ${limits.maxMessages} fit this server's context, each costing at least its template's tokens.`,
      { param: "messages" },
    );
  }
  const messages = templateMessages(body.messages);
  const bytes = messages.reduce((sum, message) => sum + Buffer.byteLength(message.content), 0);
  if (bytes > limits.maxPromptBytes) {
    throw new ApiError(
      "context_length_exceeded",
      `The messages hold ${bytes} bytes of text; no more than ${limits.maxPromptBytes} can fit this server's context. Shorten the conversation.`,
      { param: "messages" },
    );
  }
  const tools = forcedTools(body);
  const rules = dialects[dialect];
  return {
    dialect,
    stream: body.stream === true,
    includeUsage: body.stream_options?.include_usage === true,
    n,
    messages,
    sampling: samplingParams(body, rules.max_tokens_fields, rules.stream.logprobs_always),
    structure: tools ? { kind: "schema", schema: toolCallSchema(tools, body), where: "tools" } : structureOf(body),
    toolCall: tools !== undefined,
    // A dialect whose request has no `loglikelihood` (its schema lets unknown fields through) gets no scores.
    loglikelihood: body.loglikelihood === true && rules.prompt_logprobs,
    peft: body.peft,
  };
}

/** The body without its top-level `null` fields: OpenAI-style APIs read `null` as "not set". */
function withoutNulls(raw: unknown): unknown {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return raw;
  return Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== null));
}

function validate(dialect: DialectId, body: unknown): ChatBody {
  const result = dialectValidators[dialect].request.safeParse(body);
  if (!result.success) {
    const [issue] = result.error.issues;
    const path = jsonPath(issue?.path ?? []);
    throw new ApiError(
      "invalid_request",
      `Invalid request: ${path}: ${issue?.message ?? "does not match the spec"}. See the ${dialects[dialect].name} chat request in spec/chat-completions.schema.json.`,
      { param: path === "$" ? null : path.slice(2) },
    );
  }
  const chat = body as ChatBody;
  if (dialects[dialect].stream.options_require_stream && chat.stream_options !== undefined && chat.stream !== true) {
    throw new ApiError(
      "invalid_request",
      "Invalid request: $.stream_options: only allowed with `stream: true`; set `stream: true` or leave `stream_options` out.",
      { param: "stream_options" },
    );
  }
  return chat;
}

/**
 * Checks the fields the server hands to the sampler that a dialect's spec leaves open (`top_k`,
 * `min_p`, `repetition_penalty`, `ignore_eos` outside the dialects that define them) or types
 * loosely (`logit_bias` keys must be token ids of this model). llama.cpp takes these as native
 * numbers, so a wrong type must be a 400 here, never an exception inside a shared batch.
 */
function checkSamplingFields(body: ChatBody, vocabularySize: number): void {
  const fail = (field: string, message: string): never => {
    throw new ApiError("invalid_request", `Invalid request: $.${field}: ${message}.`, { param: field });
  };
  const raw = body as unknown as Record<string, unknown>;
  const number = (field: string, check: (value: number) => boolean, rule: string) => {
    const value = raw[field];
    if (value === undefined) return;
    if (typeof value !== "number" || !Number.isFinite(value) || !check(value)) fail(field, `must be ${rule}`);
  };
  number("top_k", (value) => Number.isSafeInteger(value) && value >= 0, "an integer >= 0 (0 turns it off)");
  number("min_p", (value) => value >= 0 && value <= 1, "a number from 0 to 1");
  number("repetition_penalty", (value) => value > 0 && value <= 100, "a number above 0 and at most 100");
  number("seed", (value) => Number.isSafeInteger(value), "a safe integer");
  if (raw.ignore_eos !== undefined && typeof raw.ignore_eos !== "boolean") fail("ignore_eos", "must be a boolean");
  for (const key of Object.keys(body.logit_bias ?? {})) {
    const id = Number(key);
    if (!/^\d+$/.test(key) || !Number.isSafeInteger(id) || id >= vocabularySize) {
      fail(
        `logit_bias[${JSON.stringify(key)}]`,
        `the key must be a token id of this model, an integer from 0 to ${vocabularySize - 1}`,
      );
    }
  }
}

/** Message content as the template sees it: text parts joined, tool calls written out as JSON. */
function templateMessages(messages: ChatBody["messages"]): TemplateMessage[] {
  return messages.map((message) => {
    let content = "";
    if (typeof message.content === "string") content = message.content;
    else if (Array.isArray(message.content)) {
      content = message.content
        .map((part: unknown) =>
          typeof part === "string"
            ? part
            : (part as { type?: string; text?: string }).type === "text"
              ? (part as { text: string }).text
              : "",
        )
        .join("");
    } else if (message.content && typeof message.content === "object")
      content = (message.content as { text?: string }).text ?? "";
    if (message.tool_calls) content += JSON.stringify(message.tool_calls);
    return { role: message.role, content };
  });
}

function samplingParams(
  body: ChatBody,
  maxTokensFields: readonly string[],
  logprobsAlways: boolean,
): Omit<SamplingParams, "grammar"> {
  const stop = body.stop === undefined ? [] : Array.isArray(body.stop) ? body.stop : [body.stop];
  const limits = body as unknown as Record<string, number | undefined>;
  const maxTokens = maxTokensFields.map((field) => limits[field]).find((value) => value !== undefined);
  const logprobs = body.logprobs === true || logprobsAlways;
  return {
    maxTokens: maxTokens ?? DEFAULT_MAX_TOKENS,
    temperature: body.temperature ?? 1,
    topP: body.top_p,
    topK: body.top_k,
    minP: body.min_p,
    seed: body.seed,
    frequencyPenalty: body.frequency_penalty,
    presencePenalty: body.presence_penalty,
    repetitionPenalty: body.repetition_penalty,
    logitBias: body.logit_bias,
    ignoreEos: body.ignore_eos ?? false,
    stop: stop.filter((s) => s !== ""),
    topLogprobs: logprobs ? (body.logprobs === true ? (body.top_logprobs ?? 0) : 0) : undefined,
  };
}

function structureOf(body: ChatBody): Structure | undefined {
  const format = body.response_format;
  if (format?.type === "json_object") {
    return format.schema
      ? { kind: "schema", schema: checkSchema(format.schema, "$.response_format.schema"), where: "response_format" }
      : { kind: "json" };
  }
  if (format?.type === "json_schema") {
    const schema = format.json_schema?.schema;
    return schema
      ? {
          kind: "schema",
          schema: checkSchema(schema, "$.response_format.json_schema.schema"),
          where: "response_format",
        }
      : { kind: "json" };
  }
  return undefined;
}

/** The function the model must call, or undefined when it may answer in text. */
function forcedTools(body: ChatBody): ChatBody["tools"] {
  const tools = body.tools ?? [];
  if (
    tools.length === 0 ||
    body.tool_choice === "none" ||
    body.tool_choice === "auto" ||
    body.tool_choice === undefined
  ) {
    return undefined;
  }
  if (body.tool_choice === "required") return tools;
  const name = typeof body.tool_choice === "object" ? body.tool_choice.function.name : undefined;
  const chosen = tools.filter((tool) => tool.function.name === name);
  if (chosen.length === 0) {
    throw new ApiError("invalid_request", `tool_choice names "${name}", which is not in tools.`, {
      param: "tool_choice",
    });
  }
  return chosen;
}

/** The JSON Schema a forced tool call must follow: `{ "name": ..., "arguments": {...} }`. */
function toolCallSchema(tools: NonNullable<ChatBody["tools"]>, body: ChatBody): object {
  const variants = tools.map((tool) => ({
    type: "object",
    properties: {
      name: { const: tool.function.name },
      arguments: tool.function.parameters
        ? checkSchema(tool.function.parameters, `$.tools[${body.tools?.indexOf(tool)}].function.parameters`)
        : { type: "object", properties: {} },
    },
    required: ["name", "arguments"],
  }));
  return variants.length === 1 ? (variants[0] as object) : { oneOf: variants };
}
