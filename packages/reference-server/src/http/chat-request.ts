import { type DialectId, dialects, jsonPath } from "@chatwire/core";
import { dialectValidators } from "@chatwire/core/validators";
import type { SamplingParams } from "../engine/generate.js";
import type { TemplateMessage } from "../engine/runtime.js";
import { HttpError } from "./error-body.js";

/** The fields of a chat request the server acts on, across all three dialects' request types. */
export interface ChatBody {
  model: string;
  messages: { role: string; content?: unknown; tool_calls?: unknown; name?: string }[];
  stream?: boolean | null;
  stream_options?: { include_usage?: boolean | null } | null;
  n?: number | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  top_k?: number | null;
  min_p?: number | null;
  seed?: number | null;
  stop?: string | string[] | null;
  frequency_penalty?: number | null;
  presence_penalty?: number | null;
  repetition_penalty?: number | null;
  logit_bias?: Record<string, number> | null;
  ignore_eos?: boolean | null;
  logprobs?: boolean | null;
  top_logprobs?: number | null;
  response_format?: { type: string; json_schema?: { schema?: object }; schema?: object } | null;
  tools?: { type: "function"; function: { name: string; parameters?: object } }[];
  tool_choice?: string | { type: "function"; function: { name: string } } | null;
}

const DEFAULT_MAX_TOKENS = 256;

/** Validates `body` with the dialect's generated request schema; a failure is a 400 naming the field. */
export function parseChatBody(dialect: DialectId, body: unknown): ChatBody {
  const result = dialectValidators[dialect].request.safeParse(body);
  if (result.success) {
    const chat = body as ChatBody;
    if (dialects[dialect].stream.options_require_stream && chat.stream_options != null && chat.stream !== true) {
      throw new HttpError(
        400,
        "Invalid request: $.stream_options: only allowed with `stream: true`; set `stream: true` or leave `stream_options` out.",
        "invalid_request_error",
        "stream_options",
        "invalid_request",
      );
    }
    return chat;
  }
  const [issue] = result.error.issues;
  const path = jsonPath(issue?.path ?? []);
  const field = path === "$" ? null : path.slice(2);
  throw new HttpError(
    400,
    `Invalid request: ${path}: ${issue?.message ?? "does not match the spec"}. See the ${dialects[dialect].name} chat request in spec/chat-completions.schema.json.`,
    "invalid_request_error",
    field,
    "invalid_request",
  );
}

/**
 * Checks the fields the server hands to the sampler that a dialect's spec leaves open (`top_k`,
 * `min_p`, `repetition_penalty`, `ignore_eos` outside the dialects that define them) or types
 * loosely (`logit_bias` keys must be token ids of this model). llama.cpp takes these as native
 * numbers, so a wrong type must be a 400 here, never an exception inside a shared batch.
 */
export function checkSamplingFields(body: ChatBody, vocabularySize: number): void {
  const fail = (field: string, message: string): never => {
    throw new HttpError(
      400,
      `Invalid request: $.${field}: ${message}.`,
      "invalid_request_error",
      field,
      "invalid_request",
    );
  };
  const raw = body as unknown as Record<string, unknown>;
  const number = (field: string, check: (value: number) => boolean, rule: string) => {
    const value = raw[field];
    if (value == null) return;
    if (typeof value !== "number" || !Number.isFinite(value) || !check(value)) fail(field, `must be ${rule}`);
  };
  number("top_k", (value) => Number.isSafeInteger(value) && value >= 0, "an integer >= 0 (0 turns it off)");
  number("min_p", (value) => value >= 0 && value <= 1, "a number from 0 to 1");
  number("repetition_penalty", (value) => value > 0 && value <= 100, "a number above 0 and at most 100");
  number("seed", (value) => Number.isSafeInteger(value), "a safe integer");
  if (raw.ignore_eos != null && typeof raw.ignore_eos !== "boolean") fail("ignore_eos", "must be a boolean");
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
export function templateMessages(messages: ChatBody["messages"]): TemplateMessage[] {
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

export function samplingParams(body: ChatBody): SamplingParams {
  const stop = body.stop == null ? [] : Array.isArray(body.stop) ? body.stop : [body.stop];
  return {
    maxTokens: body.max_completion_tokens ?? body.max_tokens ?? DEFAULT_MAX_TOKENS,
    temperature: body.temperature ?? 1,
    topP: body.top_p ?? undefined,
    topK: body.top_k ?? undefined,
    minP: body.min_p ?? undefined,
    seed: body.seed ?? undefined,
    frequencyPenalty: body.frequency_penalty ?? undefined,
    presencePenalty: body.presence_penalty ?? undefined,
    repetitionPenalty: body.repetition_penalty ?? undefined,
    logitBias: body.logit_bias ?? undefined,
    ignoreEos: body.ignore_eos ?? false,
    stop: stop.filter((s) => s !== ""),
    topLogprobs: body.logprobs ? (body.top_logprobs ?? 0) : undefined,
  };
}

/** The function the model must call, or undefined when it may answer in text. */
export function forcedTools(body: ChatBody): ChatBody["tools"] {
  const tools = body.tools ?? [];
  if (tools.length === 0 || body.tool_choice === "none" || body.tool_choice === "auto" || body.tool_choice == null) {
    return undefined;
  }
  if (body.tool_choice === "required") return tools;
  const name = typeof body.tool_choice === "object" ? body.tool_choice.function.name : undefined;
  const chosen = tools.filter((tool) => tool.function.name === name);
  if (chosen.length === 0) {
    throw new HttpError(
      400,
      `tool_choice names "${name}", which is not in tools.`,
      "invalid_request_error",
      "tool_choice",
    );
  }
  return chosen;
}

/** The JSON Schema a forced tool call must follow: `{ "name": ..., "arguments": {...} }`. */
export function toolCallSchema(tools: NonNullable<ChatBody["tools"]>): object {
  const variants = tools.map((tool) => ({
    type: "object",
    properties: {
      name: { const: tool.function.name },
      arguments: tool.function.parameters ?? { type: "object", properties: {} },
    },
    required: ["name", "arguments"],
  }));
  return variants.length === 1 ? (variants[0] as object) : { oneOf: variants };
}
