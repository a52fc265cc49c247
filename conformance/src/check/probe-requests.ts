import { type DialectId, dialects } from "@chatwire/core";

/**
 * The requests behind the probes. Every one is small (a few tokens at temperature 0 with a seed),
 * so the whole catalogue costs about fifteen short generations.
 */

export const STREAM_PROBES = [
  "plainStream",
  "usageStream",
  "multiStream",
  "logprobsStream",
  "toolStream",
  "stopStream",
] as const;
export const RESPONSE_PROBES = ["plainResponse", "maxTokensResponse", "jsonResponse", "stopResponse"] as const;
export const ERROR_PROBES = ["unknownModel", "invalidField", "streamOptionsWithoutStream", "badKey"] as const;

export type StreamProbe = (typeof STREAM_PROBES)[number];
export type ResponseProbe = (typeof RESPONSE_PROBES)[number];
export type ErrorProbe = (typeof ERROR_PROBES)[number];
export type ProbeName = StreamProbe | ResponseProbe | ErrorProbe;

/**
 * Sent with every probe, so a backend's request log (or a test proxy) can tell which probe a
 * request is. Backends ignore unknown headers; no check depends on it being read.
 */
export const PROBE_HEADER = "x-chatwire-probe";

export const PROBE_LABELS: Record<ProbeName, string> = {
  plainStream: "the plain stream",
  usageStream: "the stream with `stream_options.include_usage`",
  multiStream: "the `n: 2` stream",
  logprobsStream: "the logprobs stream",
  toolStream: "the forced tool call stream",
  stopStream: "the stream with `stop`",
  plainResponse: "the plain non-streamed reply",
  maxTokensResponse: "the reply with a tiny token limit",
  jsonResponse: "the `response_format` reply",
  stopResponse: "the non-streamed reply with `stop`",
  unknownModel: "the request for an unknown model",
  invalidField: 'the request with `temperature: "hot"`',
  streamOptionsWithoutStream: "the request with `stream_options` but no `stream`",
  badKey: "the request with a wrong API key",
};

export const SEED = 7;
const PLAIN_MAX_TOKENS = 24;
const SMALL_MAX_TOKENS = 8;
/** Small enough that any model hits it on the prompt below. */
export const LIMIT_MAX_TOKENS = 4;
export const TOP_LOGPROBS = 2;
export const UNKNOWN_MODEL = "chatwire-conformance-no-such-model";
export const INVALID_FIELD = "temperature";

export const TOOL_NAME = "get_weather";
/** An enum argument: a forced call is a few dozen tokens even on a model that writes nonsense. */
export const WEATHER_TOOL = {
  type: "function",
  function: {
    name: TOOL_NAME,
    description: "The current weather in a city.",
    parameters: {
      type: "object",
      properties: { unit: { type: "string", enum: ["celsius", "fahrenheit"] } },
      required: ["unit"],
      additionalProperties: false,
    },
  },
} as const;

export const ANSWER_SCHEMA = {
  type: "object",
  properties: {
    city: { type: "string", enum: ["Paris", "Rome"] },
    degrees: { type: "integer" },
  },
  required: ["city", "degrees"],
  additionalProperties: false,
} as const;

const MESSAGES = [{ role: "user", content: "Describe the weather at the sea in two short sentences." }];

/**
 * The token limit, under the last name dialects.json `max_tokens_fields` gives it: the oldest one
 * (`max_tokens` in every dialect today), which OpenAI-style backends take whichever dialect they speak.
 */
function limit(dialect: DialectId, tokens: number): Record<string, number> {
  const field = dialects[dialect].max_tokens_fields.at(-1) ?? "max_tokens";
  return { [field]: tokens };
}

/** A `response_format` for ANSWER_SCHEMA, in the form the dialect takes (dialects.json `json_schema_format`). */
function responseFormat(dialect: DialectId): unknown {
  return dialects[dialect].json_schema_format === "json_object_schema"
    ? { type: "json_object", schema: ANSWER_SCHEMA }
    : { type: "json_schema", json_schema: { name: "weather_answer", schema: ANSWER_SCHEMA, strict: true } };
}

/** Whether the dialect streams usage at all when asked (dialects.json `stream.usage_placement`). */
export function streamsUsage(dialect: DialectId): boolean {
  return dialects[dialect].stream.usage_placement !== "none";
}

/** The JSON body of a probe; `stop` is the stop string picked from the plain reply, for the stop probes. */
export function probeBody(name: ProbeName, dialect: DialectId, model: string, stop?: string): Record<string, unknown> {
  const base = { model, messages: MESSAGES, temperature: 0, seed: SEED };
  switch (name) {
    case "plainStream":
      return { ...base, ...limit(dialect, PLAIN_MAX_TOKENS), stream: true };
    case "plainResponse":
      return { ...base, ...limit(dialect, PLAIN_MAX_TOKENS) };
    case "usageStream":
      return { ...base, ...limit(dialect, SMALL_MAX_TOKENS), stream: true, stream_options: { include_usage: true } };
    case "multiStream":
      return { ...base, ...limit(dialect, SMALL_MAX_TOKENS), n: 2, stream: true };
    case "logprobsStream":
      return {
        ...base,
        ...limit(dialect, SMALL_MAX_TOKENS),
        stream: true,
        logprobs: true,
        top_logprobs: TOP_LOGPROBS,
        // Usage too, where the dialect streams it: the token count is checked against the entries.
        ...(streamsUsage(dialect) && { stream_options: { include_usage: true } }),
      };
    case "toolStream":
      return {
        ...base,
        ...limit(dialect, 128),
        stream: true,
        tools: [WEATHER_TOOL],
        tool_choice: { type: "function", function: { name: TOOL_NAME } },
      };
    case "jsonResponse":
      return { ...base, ...limit(dialect, 64), response_format: responseFormat(dialect) };
    case "stopStream":
      return { ...base, ...limit(dialect, PLAIN_MAX_TOKENS), stream: true, stop: [stop ?? ""] };
    case "stopResponse":
      return { ...base, ...limit(dialect, PLAIN_MAX_TOKENS), stop: [stop ?? ""] };
    case "maxTokensResponse":
      return { ...base, ...limit(dialect, LIMIT_MAX_TOKENS) };
    case "unknownModel":
      return { ...base, ...limit(dialect, LIMIT_MAX_TOKENS), model: UNKNOWN_MODEL };
    case "invalidField":
      return { ...base, ...limit(dialect, LIMIT_MAX_TOKENS), [INVALID_FIELD]: "hot" };
    case "streamOptionsWithoutStream":
      return { ...base, ...limit(dialect, LIMIT_MAX_TOKENS), stream_options: { include_usage: true } };
    case "badKey":
      return { ...base, ...limit(dialect, LIMIT_MAX_TOKENS) };
  }
}

/** Whether a stream probe asked for usage (`stream_options.include_usage`). */
export function asksForUsage(name: StreamProbe, dialect: DialectId): boolean {
  const options = probeBody(name, dialect, "any").stream_options as { include_usage?: boolean } | undefined;
  return options?.include_usage === true;
}
