import type { DialectId } from "@chatwire/core";
import { NULL_OPTIONS } from "./probes-extra.js";
import { type Mutant, type ProxiedEvent, pacedWrites, type Traffic } from "./test-mutant-proxy.js";

/** A chunk as the mutants edit it: the fields they touch, typed loosely enough to break them. */
interface WireChunk {
  id: string;
  object: string;
  choices: WireChoice[];
  usage?: WireUsage | null;
  [field: string]: unknown;
}

interface WireChoice {
  index: number;
  delta: {
    role?: string;
    content?: string | null;
    tool_calls?: { index: number; function?: { arguments?: string } }[];
  };
  finish_reason: string | null;
  logprobs: { content: WireLogprob[] } | number | null;
  [field: string]: unknown;
}

interface WireLogprob {
  token: string;
  bytes: number[];
  logprob: number;
  top_logprobs: unknown[];
}

interface WireUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** One prompt position of OctoAI's `prompt_logprobs`: token ids mapped to their log probability. */
type WirePromptLogprob = Record<string, { logprob: number; rank: number; decoded_token: string }> | null;

interface WireReply {
  prompt_logprobs?: WirePromptLogprob[];
  choices: {
    index: number;
    message: { content: string | null; tool_calls?: unknown[] };
    finish_reason: string | null;
  }[];
  usage: WireUsage;
  [field: string]: unknown;
}

export interface MutantCase {
  deviation: string;
  dialect: DialectId;
  /** The one check id that must fail, and no other. */
  caughtBy: string;
  mutant: Mutant;
}

const SENTINEL = "[DONE]";

/** Rewrites the raw events of one probe's stream. */
function onEvents(probe: string, change: (events: ProxiedEvent[]) => ProxiedEvent[]): Mutant {
  return { events: (traffic, events) => (traffic.probe === probe ? change(events) : events) };
}

/** Rewrites the JSON chunks of one probe's stream; the sentinel stays where it was. */
function onChunks(probe: string, change: (chunks: WireChunk[], traffic: Traffic) => WireChunk[]): Mutant {
  return {
    events(traffic, events) {
      if (traffic.probe !== probe) return events;
      const chunks = events
        .filter((event) => event.data !== SENTINEL)
        .map((event) => JSON.parse(event.data) as WireChunk);
      const changed = change(chunks, traffic).map((chunk) => ({ data: JSON.stringify(chunk) }));
      return events.some((event) => event.data === SENTINEL) ? [...changed, { data: SENTINEL }] : changed;
    },
  };
}

/** Rewrites the JSON body of one probe's answer. */
function onReply(probe: string, change: (reply: WireReply, traffic: Traffic) => void): Mutant {
  return {
    json(traffic, body) {
      if (traffic.probe === probe) change(body as WireReply, traffic);
      return body;
    },
  };
}

/** Rewrites the request of one probe before it reaches the backend. */
function onRequest(probe: string, change: (body: Record<string, unknown>) => void): Mutant {
  return {
    request(traffic) {
      if (traffic.probe === probe && traffic.body) change(traffic.body);
      return traffic.body;
    },
  };
}

/** Adds a LoRA adapter of `model` to the model list, as a backend that serves one lists it. */
function listsAdapterOf(model: string): NonNullable<Mutant["json"]> {
  return (traffic, body) => {
    if (traffic.probe === "modelList") {
      (body as { data: unknown[] }).data.push({
        id: `${model}-sea`,
        object: "model",
        owned_by: "chatwire",
        parent: model,
      });
    }
    return body;
  };
}

const finishIndex = (chunks: WireChunk[], choice = 0) =>
  chunks.findIndex((chunk) => chunk.choices.some((c) => c.index === choice && c.finish_reason !== null));

const firstEntry = (chunks: WireChunk[]) => {
  const logprobs = chunks[0]?.choices[0]?.logprobs;
  if (typeof logprobs !== "object" || logprobs === null || !logprobs.content[0]) throw new Error("no logprob entry");
  return logprobs.content[0];
};

/**
 * One deviation each, applied to the one exchange that shows it, so each must trip exactly one
 * check id. `apiKey` (read when the request passes) and `model` are the real ones, for mutants
 * that make a backend accept what it should refuse.
 */
export function mutantCases(apiKey: () => string, model: string): MutantCase[] {
  return [
    {
      deviation: "streams end without [DONE]",
      dialect: "gradient",
      caughtBy: "framing.done-sentinel",
      mutant: { events: (_traffic, events) => events.filter((event) => event.data !== SENTINEL) },
    },
    {
      deviation: "an event follows [DONE]",
      dialect: "gradient",
      caughtBy: "framing.nothing-after-done",
      mutant: onEvents("plainStream", (events) => [...events, events.at(-2) as ProxiedEvent]),
    },
    {
      deviation: "an event that is not JSON",
      dialect: "gradient",
      caughtBy: "framing.json-events",
      mutant: onEvents("plainStream", (events) => [
        ...events.slice(0, 1),
        { data: '{"id": "chatcmpl-cut' },
        ...events.slice(1),
      ]),
    },
    {
      deviation: "named events",
      dialect: "gradient",
      caughtBy: "framing.data-only",
      mutant: onEvents("plainStream", (events) => events.map((event) => ({ event: "completion", data: event.data }))),
    },
    {
      deviation: "streams sent as text/plain",
      dialect: "gradient",
      caughtBy: "framing.content-type",
      mutant: {
        contentType: (_traffic, type) => (type.startsWith("text/event-stream") ? "text/plain; charset=utf-8" : type),
      },
    },
    {
      deviation: "the id changes mid-stream",
      dialect: "gradient",
      caughtBy: "envelope.same-id",
      mutant: onChunks("plainStream", (chunks) =>
        chunks.map((chunk, position) => (position >= 2 ? { ...chunk, id: `${chunk.id}-2` } : chunk)),
      ),
    },
    {
      deviation: 'a chunk says object "chat.completion"',
      dialect: "octoai",
      caughtBy: "envelope.object",
      mutant: onChunks("plainStream", (chunks) =>
        chunks.map((chunk, position) => (position === 1 ? { ...chunk, object: "chat.completion" } : chunk)),
      ),
    },
    {
      deviation: "created in milliseconds with a fraction",
      dialect: "gradient",
      caughtBy: "envelope.created",
      mutant: onChunks("plainStream", (chunks) =>
        chunks.map((chunk, position) => (position === 1 ? { ...chunk, created: 1_700_000_000_000.5 } : chunk)),
      ),
    },
    {
      deviation: "a chunk names its model with a number",
      dialect: "octoai",
      caughtBy: "envelope.model",
      mutant: onChunks("plainStream", (chunks) =>
        chunks.map((chunk, position) => (position === 1 ? { ...chunk, model: 7 } : chunk)),
      ),
    },
    {
      deviation: "a choice without a delta",
      dialect: "gradient",
      caughtBy: "envelope.choices",
      mutant: onChunks("plainStream", (chunks) => {
        const bare = { ...(chunks[1] as WireChunk), choices: [{ index: 0, logprobs: null, finish_reason: null }] };
        return [...chunks.slice(0, 2), bare as unknown as WireChunk, ...chunks.slice(2)];
      }),
    },
    {
      deviation: "the role is repeated in a later delta",
      dialect: "gradient",
      caughtBy: "delta.role-first-only",
      mutant: onChunks("plainStream", (chunks) => {
        const choice = chunks[2]?.choices[0];
        if (choice) choice.delta.role = "assistant";
        return chunks;
      }),
    },
    {
      deviation: "a choice is finished twice",
      dialect: "gradient",
      caughtBy: "finish.exactly-once",
      mutant: onChunks("plainStream", (chunks) => {
        const at = finishIndex(chunks);
        return [...chunks.slice(0, at + 1), structuredClone(chunks[at] as WireChunk), ...chunks.slice(at + 1)];
      }),
    },
    {
      deviation: 'a finish_reason of "eos"',
      dialect: "gradient",
      caughtBy: "finish.allowed-value",
      mutant: onChunks("multiStream", (chunks) => {
        const choice = chunks[finishIndex(chunks, 1)]?.choices.find((c) => c.index === 1);
        if (choice) choice.finish_reason = "eos";
        return chunks;
      }),
    },
    {
      deviation: "content after the finish_reason",
      dialect: "gradient",
      caughtBy: "finish.nothing-after",
      mutant: onChunks("multiStream", (chunks) => {
        const at = finishIndex(chunks);
        const late = structuredClone(chunks[at] as WireChunk);
        late.choices = [{ index: 0, delta: { content: " and more" }, logprobs: null, finish_reason: null }];
        return [...chunks.slice(0, at + 1), late, ...chunks.slice(at + 1)];
      }),
    },
    {
      deviation: "the stream says something else than the non-streamed reply",
      dialect: "gradient",
      caughtBy: "stream.matches-non-stream",
      mutant: onChunks("plainStream", (chunks) => {
        const delta = chunks[1]?.choices[0]?.delta;
        if (delta) delta.content = `${delta.content ?? ""} otherwise`;
        return chunks;
      }),
    },
    {
      deviation: "usage in a stream that did not ask for it",
      dialect: "gradient",
      caughtBy: "usage.absent-unless-asked",
      mutant: onChunks("plainStream", (chunks) => [
        ...chunks,
        {
          ...(chunks.at(-1) as WireChunk),
          choices: [],
          usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
        },
      ]),
    },
    {
      deviation: "gradient usage on the finishing chunk instead of a chunk of its own",
      dialect: "gradient",
      caughtBy: "usage.placement",
      mutant: onChunks("usageStream", (chunks) => {
        const usageChunk = chunks.at(-1) as WireChunk;
        const finishing = chunks.at(-2) as WireChunk;
        finishing.usage = usageChunk.usage ?? null;
        return chunks.slice(0, -1);
      }),
    },
    {
      deviation: "octoai usage on a chunk of its own instead of the finishing chunk",
      dialect: "octoai",
      caughtBy: "usage.placement",
      mutant: onChunks("usageStream", (chunks) => {
        const finishing = chunks.at(-1) as WireChunk;
        const usageOnly: WireChunk = { ...finishing, choices: [], usage: finishing.usage ?? null };
        delete finishing.usage;
        return [...chunks, usageOnly];
      }),
    },
    {
      deviation: "total_tokens is not the sum",
      dialect: "gradient",
      caughtBy: "usage.total-is-sum",
      mutant: onReply("plainResponse", (reply) => {
        reply.usage.total_tokens += 1;
      }),
    },
    {
      deviation: "completion_tokens disagrees with the logprob entries",
      dialect: "gradient",
      caughtBy: "usage.matches-logprobs",
      mutant: onChunks("logprobsStream", (chunks) => {
        const usage = chunks.at(-1)?.usage;
        if (usage) {
          usage.completion_tokens += 1;
          usage.total_tokens += 1;
        }
        return chunks;
      }),
    },
    {
      deviation: "max_tokens ignored",
      dialect: "gradient",
      caughtBy: "max-tokens.respected",
      mutant: onRequest("maxTokensResponse", (body) => {
        body.max_tokens = 40;
      }),
    },
    {
      deviation: 'finish_reason "stop" on a reply cut by max_tokens',
      dialect: "predictionguard",
      caughtBy: "max-tokens.finish-length",
      mutant: onReply("maxTokensResponse", (reply) => {
        for (const choice of reply.choices) choice.finish_reason = "stop";
      }),
    },
    {
      deviation: "the stop sequence left in the output",
      dialect: "gradient",
      caughtBy: "stop.excluded",
      mutant: onReply("stopResponse", (reply, traffic) => {
        const [stop] = (traffic.body?.stop ?? []) as string[];
        const message = reply.choices[0]?.message;
        if (message) message.content = `${message.content ?? ""}${stop}`;
      }),
    },
    {
      deviation: "n = 2 answered with one choice",
      dialect: "gradient",
      caughtBy: "n.two-choices",
      mutant: onChunks("multiStream", (chunks) => chunks.filter((chunk) => chunk.choices.every((c) => c.index !== 1))),
    },
    {
      deviation: "a chunk adds text without its logprobs",
      dialect: "gradient",
      caughtBy: "logprobs.present",
      mutant: onChunks("logprobsStream", (chunks) => {
        // The entries move to the chunk before, so their count and order stay right.
        const [first, second] = chunks.map((chunk) => chunk.choices[0] as WireChoice);
        if (first && second && typeof first.logprobs === "object" && typeof second.logprobs === "object") {
          first.logprobs?.content.push(...(second.logprobs?.content ?? []));
          second.logprobs = null;
        }
        return chunks;
      }),
    },
    {
      deviation: "a positive logprob",
      dialect: "gradient",
      caughtBy: "logprobs.non-positive",
      mutant: onChunks("logprobsStream", (chunks) => {
        firstEntry(chunks).logprob = 0.5;
        return chunks;
      }),
    },
    {
      deviation: "one top_logprob short",
      dialect: "octoai",
      caughtBy: "logprobs.top-count",
      mutant: onChunks("logprobsStream", (chunks) => {
        firstEntry(chunks).top_logprobs.pop();
        return chunks;
      }),
    },
    {
      deviation: "logprob tokens that do not spell the text",
      dialect: "gradient",
      caughtBy: "logprobs.tokens-join-text",
      mutant: onChunks("logprobsStream", (chunks) => {
        const entry = firstEntry(chunks);
        entry.token = `~${entry.token}`;
        entry.bytes = [...new TextEncoder().encode(entry.token)];
        return chunks;
      }),
    },
    {
      deviation: "a positive Prediction Guard chunk logprob",
      dialect: "predictionguard",
      caughtBy: "logprobs.numeric-per-chunk",
      mutant: onChunks("logprobsStream", (chunks) => {
        const choice = chunks[0]?.choices[0];
        if (choice) choice.logprobs = 0.25;
        return chunks;
      }),
    },
    {
      deviation: "loglikelihood ignored: a reply without prompt_logprobs",
      dialect: "octoai",
      caughtBy: "loglikelihood.prompt-logprobs",
      mutant: onReply("loglikelihoodResponse", (reply) => {
        delete reply.prompt_logprobs;
      }),
    },
    {
      deviation: "a positive prompt logprob in the stream's first chunk",
      dialect: "octoai",
      caughtBy: "loglikelihood.prompt-logprobs",
      mutant: onChunks("loglikelihoodStream", (chunks) => {
        const entries = (chunks[0] as { prompt_logprobs?: WirePromptLogprob[] }).prompt_logprobs ?? [];
        const [token] = Object.values(entries[1] ?? {});
        if (token) token.logprob = 0.5;
        return chunks;
      }),
    },
    {
      deviation: "prompt_logprobs one entry short of usage.prompt_tokens",
      dialect: "octoai",
      caughtBy: "loglikelihood.prompt-logprobs",
      mutant: onReply("loglikelihoodResponse", (reply) => {
        reply.prompt_logprobs?.pop();
      }),
    },
    {
      deviation: "tool call arguments cut short",
      dialect: "gradient",
      caughtBy: "tools.call-accumulates",
      mutant: onChunks("toolStream", (chunks) => {
        const last = chunks.findLastIndex((chunk) => chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments);
        return chunks.filter((_chunk, position) => position !== last);
      }),
    },
    {
      deviation: 'a tool call finished with "stop"',
      dialect: "predictionguard",
      caughtBy: "tools.finish-reason",
      mutant: onChunks("toolStream", (chunks) => {
        const choice = chunks[finishIndex(chunks)]?.choices[0];
        if (choice) choice.finish_reason = "stop";
        return chunks;
      }),
    },
    {
      deviation: "structured output that ignores the schema",
      dialect: "octoai",
      caughtBy: "response-format.matches-schema",
      mutant: onReply("jsonResponse", (reply) => {
        const message = reply.choices[0]?.message;
        if (message) message.content = '{"city": "Berlin", "degrees": "warm"}';
      }),
    },
    {
      deviation: "an unknown model is served anyway",
      dialect: "gradient",
      caughtBy: "errors.unknown-model",
      mutant: onRequest("unknownModel", (body) => {
        body.model = model;
      }),
    },
    {
      deviation: 'temperature "hot" accepted',
      dialect: "gradient",
      caughtBy: "errors.invalid-field",
      mutant: onRequest("invalidField", (body) => {
        delete body.temperature;
      }),
    },
    {
      deviation: "a 400 that does not name the field",
      dialect: "predictionguard",
      caughtBy: "errors.invalid-field-named",
      mutant: onReply("invalidField", (reply) => {
        (reply as unknown as { error: string }).error = "Invalid request.";
      }),
    },
    {
      deviation: "stream_options accepted without stream",
      dialect: "gradient",
      caughtBy: "errors.stream-options-without-stream",
      mutant: onRequest("streamOptionsWithoutStream", (body) => {
        delete body.stream_options;
      }),
    },
    {
      deviation: "an unknown peft answered by the base model",
      dialect: "octoai",
      caughtBy: "peft.unknown-adapter",
      mutant: {
        ...onRequest("unknownAdapter", (body) => {
          delete body.peft;
        }),
        json: listsAdapterOf(model),
      },
    },
    {
      deviation: "an unknown peft refused with a body of another shape",
      dialect: "octoai",
      caughtBy: "peft.unknown-adapter",
      mutant: {
        json(traffic, body, status) {
          if (traffic.probe === "unknownAdapter") return { detail: "no such adapter" };
          return listsAdapterOf(model)(traffic, body, status);
        },
      },
    },
    {
      deviation: "a wrong API key accepted",
      dialect: "gradient",
      caughtBy: "errors.bad-key",
      mutant: {
        headers: (traffic, headers) =>
          traffic.probe === "badKey" ? { ...headers, authorization: `Bearer ${apiKey()}` } : headers,
      },
    },
    {
      deviation: "error bodies without a message",
      dialect: "gradient",
      caughtBy: "schema.error-bodies",
      mutant: {
        json(_traffic, body, status) {
          if (status >= 400) delete (body as { error: { message?: string } }).error.message;
          return body;
        },
      },
    },
    {
      deviation: "a chunk with a numeric system_fingerprint",
      dialect: "gradient",
      caughtBy: "schema.chunks",
      mutant: onChunks("plainStream", (chunks) =>
        chunks.map((chunk, position) => (position === 0 ? { ...chunk, system_fingerprint: 42 } : chunk)),
      ),
    },
    {
      deviation: "a 500 for a body that is not JSON (llama-server's answer)",
      dialect: "gradient",
      caughtBy: "errors.malformed-json",
      mutant: { status: (traffic, status) => (traffic.probe === "malformedJson" ? 500 : status) },
    },
    {
      deviation: "null options refused",
      dialect: "predictionguard",
      caughtBy: "request.null-options",
      mutant: onRequest("nullOptions", (body) => {
        for (const name of NULL_OPTIONS) if (body[name] === null) body[name] = "null";
      }),
    },
    {
      deviation: "json_object answered with prose around the JSON",
      dialect: "gradient",
      caughtBy: "response-format.json-object",
      mutant: onReply("jsonObjectResponse", (reply) => {
        const message = reply.choices[0]?.message;
        if (message) message.content = `Here you are: ${message.content ?? ""}`;
      }),
    },
    {
      deviation: 'tool_choice "required" answered in text',
      dialect: "octoai",
      caughtBy: "tools.required-call",
      mutant: onReply("toolRequiredResponse", (reply) => {
        const choice = reply.choices[0];
        if (!choice) return;
        delete choice.message.tool_calls;
        choice.message.content = "It is sunny.";
        choice.finish_reason = "stop";
      }),
    },
    {
      deviation: "logit_bias on the end token ignored",
      dialect: "gradient",
      caughtBy: "logit-bias.end-token",
      mutant: onRequest("endBiasResponse", (body) => {
        delete body.logit_bias;
      }),
    },
    {
      deviation: "a stream cut inside a character drops the piece the reply has",
      dialect: "gradient",
      caughtBy: "utf8.partial-character",
      mutant: onChunks("partialCharacterStream", (chunks) => {
        for (const chunk of chunks) for (const choice of chunk.choices) delete choice.delta.content;
        return chunks;
      }),
    },
    {
      deviation: "no role in a one-token stream",
      dialect: "predictionguard",
      caughtBy: "delta.role-when-first-finishes",
      mutant: onChunks("partialCharacterStream", (chunks) => {
        for (const chunk of chunks) for (const choice of chunk.choices) delete choice.delta.role;
        return chunks;
      }),
    },
    {
      deviation: "a long stream held back and sent in one write",
      dialect: "octoai",
      caughtBy: "stream.incremental",
      mutant: {
        writes: (traffic, frames, arrivals) =>
          traffic.probe === "longStream"
            ? [{ text: frames.join(""), at: (arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0) }]
            : pacedWrites(frames, arrivals),
      },
    },
    {
      deviation: "a reply with a numeric system_fingerprint",
      dialect: "gradient",
      caughtBy: "schema.responses",
      mutant: onReply("plainResponse", (reply) => {
        reply.system_fingerprint = 42;
      }),
    },
  ];
}
