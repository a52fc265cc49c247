import { dialects, iterateServerSentEvents, type ServerSentEvent } from "@chatwire/core";
import { parseJson } from "@chatwire/core/internal";
import { authHeaders } from "../dialect-wire.js";
import { isObject, type JsonObject } from "../json.js";
import { excerpt, seconds } from "./exchange.js";
import { type ModelList, readModelList } from "./model-discovery.js";
import { PROBE_HEADER, probeBody, streamsUsage, WEATHER_TOOL } from "./probe-requests.js";
import { type ErrorRead, type Probes, ProbeUnavailable, type ResponseRead } from "./probes.js";
import { readStream, type StreamRead } from "./stream-read.js";
import { NoEvidence } from "./verdict.js";

/**
 * Probes beyond the core set: a body that is not JSON, nulls for unset options, JSON mode without a
 * schema, a required tool call, and the ones that need the served model's token ids (an end-token
 * bias, a reply cut inside a character), found through llama-server's `POST /tokenize` where the
 * backend has it, and those of a dialect's own request fields (`loglikelihood`, `peft`), with the
 * model list that names the adapters. Each runs at most once per run, when a check first asks for it.
 */

const EXTRA_LABELS = {
  malformedJson: "the request whose body is not JSON",
  nullOptions: "the request with `null` for every unset option",
  jsonObjectResponse: 'the `response_format: {"type": "json_object"}` reply without a schema',
  toolRequiredResponse: 'the reply with `tool_choice: "required"`',
  endBiasResponse: "the reply with `logit_bias` +100 on the end-of-turn token",
  partialCharacterStream: "the one-token stream cut inside a character",
  partialCharacterResponse: "the one-token reply cut inside a character",
  longStream: "the stream of 64 tokens or more",
  loglikelihoodResponse: "the reply with `loglikelihood: true`",
  loglikelihoodStream: "the stream with `loglikelihood: true`",
  unknownAdapter: "the request with an unknown `peft`",
  modelList: "the model list",
} as const;

type ExtraProbe = keyof typeof EXTRA_LABELS;

/** Half a JSON object: a parser must refuse it before anything else looks at the request. */
const MALFORMED_BODY = '{"model": "m", "messages": [{"role": "user", "content": "Hi"';

/**
 * The options the Prediction Guard Python client sends as `null` on every call, where the shared
 * request schema allows `null` for them (`ChatCompletionRequest` in the spec).
 */
export const NULL_OPTIONS = [
  "frequency_penalty",
  "presence_penalty",
  "logit_bias",
  "stop",
  "stream_options",
  "tools",
  "tool_choice",
  "parallel_tool_calls",
] as const;

/** An adapter id no backend has: `peft` naming it must be refused. */
export const UNKNOWN_ADAPTER = "chatwire-conformance-no-such-adapter";

/** End-of-turn markers of common chat templates, most specific first; the first that is one token is used. */
const END_MARKERS = ["<|im_end|>", "<|eot_id|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "</s>"];
/** Characters of two, three and four bytes: a tokenizer without them whole splits them into byte tokens. */
const MULTI_BYTE_TEXTS = ["é", "€", "😀"];
/** Long enough that a backend that buffers a stream cannot pass for one that streams. */
export const LONG_STREAM_TOKENS = 64;
const LONG_MAX_TOKENS = 96;

/** A stream with the time each event arrived, in ms after the request was sent. */
export interface TimedStream extends StreamRead {
  arrivals: readonly number[];
}

/** What `/tokenize` told about the served model, or why the checker could not learn it. */
export type TokenFacts =
  | { known: true; url: string; endToken: EndToken | undefined; leadByte: LeadByte | undefined }
  | { known: false; reason: string };

/** The token a chat template ends a turn with, and its text. */
interface EndToken {
  id: number;
  marker: string;
}

/** A token that is the first byte of a longer character, alone. */
interface LeadByte {
  id: number;
  byte: number;
  of: string;
}

interface RawAnswer {
  status: number;
  contentType: string;
  text?: string;
  events?: { event: ServerSentEvent; at: number }[];
}

const registry = new WeakMap<Probes, ExtraProbes>();

/** The extra probes of one run, shared by every check of that run. */
export function extraProbes(probes: Probes): ExtraProbes {
  let extra = registry.get(probes);
  if (!extra) {
    extra = new ExtraProbes(probes);
    registry.set(probes, extra);
  }
  return extra;
}

/** `{"type": "json_object"}` with a prompt that asks for JSON, as OpenAI requires for JSON mode. */
const JSON_MESSAGES = [{ role: "user", content: "Answer in JSON: what is the weather at the sea?" }];

export class ExtraProbes {
  readonly #answers = new Map<string, Promise<RawAnswer | { failed: string }>>();
  #tokens: Promise<TokenFacts> | undefined;
  #models: Promise<ModelList | { tried: string }> | undefined;

  constructor(private readonly probes: Probes) {}

  /** The backend's base URL: the chat URL without the dialect's chat path. */
  get baseURL(): string {
    const { chatURL, dialect } = this.probes.target;
    const path = dialects[dialect].chat_path;
    return chatURL.endsWith(path) ? chatURL.slice(0, -path.length) : chatURL;
  }

  /** The answer to the malformed body, whatever its status. */
  malformedJson(): Promise<ErrorRead> {
    return this.#anyStatus("malformedJson", MALFORMED_BODY);
  }

  /** The answer to the request with nulls, whatever its status. */
  nullOptions(): Promise<ErrorRead> {
    const body = { ...this.#plain(), ...Object.fromEntries(NULL_OPTIONS.map((name) => [name, null])) };
    return this.#anyStatus("nullOptions", JSON.stringify(body));
  }

  jsonObjectResponse(): Promise<ResponseRead> {
    return this.#response("jsonObjectResponse", {
      ...this.#plain(64),
      messages: JSON_MESSAGES,
      response_format: { type: "json_object" },
    });
  }

  toolRequiredResponse(): Promise<ResponseRead> {
    return this.#response("toolRequiredResponse", {
      ...this.#plain(128),
      tools: [WEATHER_TOOL],
      tool_choice: "required",
    });
  }

  /** The plain request with the end-of-turn token raised by +100: the reply should end at once. */
  async endBiasResponse(end: { id: number }): Promise<ResponseRead> {
    return this.#response("endBiasResponse", { ...this.#plain(), logit_bias: { [String(end.id)]: 100 } });
  }

  /** One token, forced to be a lone lead byte, streamed and not. */
  partialCharacterStream(lead: LeadByte): Promise<TimedStream> {
    return this.#stream("partialCharacterStream", { ...this.#partial(lead), stream: true });
  }

  partialCharacterResponse(lead: LeadByte): Promise<ResponseRead> {
    return this.#response("partialCharacterResponse", this.#partial(lead));
  }

  /** A long stream; the end-of-turn token is banned where it is known, so the reply runs to its limit. */
  async longStream(): Promise<TimedStream> {
    const facts = await this.tokenFacts();
    const end = facts.known ? facts.endToken : undefined;
    return this.#stream("longStream", {
      ...this.#plain(LONG_MAX_TOKENS),
      stream: true,
      ...(end && { logit_bias: { [String(end.id)]: -100 } }),
    });
  }

  /** The plain request with OctoAI's `loglikelihood: true`, not streamed. */
  loglikelihoodResponse(): Promise<ResponseRead> {
    return this.#response("loglikelihoodResponse", { ...this.#plain(), loglikelihood: true });
  }

  /** The same streamed, with usage where the dialect streams it: the entries are counted against it. */
  loglikelihoodStream(): Promise<TimedStream> {
    const { dialect } = this.probes.target;
    return this.#stream("loglikelihoodStream", {
      ...this.#plain(),
      loglikelihood: true,
      stream: true,
      ...(streamsUsage(dialect) && { stream_options: { include_usage: true } }),
    });
  }

  /** The answer to the plain request with `peft` naming an adapter no backend has, whatever its status. */
  unknownAdapter(): Promise<ErrorRead> {
    return this.#anyStatus("unknownAdapter", JSON.stringify({ ...this.#plain(), peft: UNKNOWN_ADAPTER }));
  }

  /** The backend's model list (see model-discovery.ts), or every place tried when none answered. */
  modelList(): Promise<ModelList | { tried: string }> {
    this.#models ??= this.#listModels();
    return this.#models;
  }

  async #listModels(): Promise<ModelList | { tried: string }> {
    const { dialect, apiKey, fetch, timeoutMs, deadline, onProbe } = this.probes.target;
    const left = deadline - performance.now();
    if (left <= 0) return { tried: `${EXTRA_LABELS.modelList} was not asked for: the run's deadline had passed` };
    const headers = { [PROBE_HEADER]: "modelList", ...authHeaders(dialect, apiKey) };
    onProbe?.(EXTRA_LABELS.modelList);
    try {
      return await readModelList(this.baseURL, headers, { fetch, timeoutMs: Math.min(timeoutMs, left) });
    } finally {
      onProbe?.(undefined);
    }
  }

  /** The end-of-turn token, or why it is unknown (the reason a check skips with). */
  async endToken(): Promise<EndToken | string> {
    const facts = await this.tokenFacts();
    if (!facts.known) return facts.reason;
    return facts.endToken ?? `no common end-of-turn marker is one token in ${facts.url}`;
  }

  /** A lone lead byte of a longer character, or why there is none (the reason a check skips with). */
  async leadByte(): Promise<LeadByte | string> {
    const facts = await this.tokenFacts();
    if (!facts.known) return facts.reason;
    return facts.leadByte ?? `the tokenizer at ${facts.url} has every character tried as whole tokens`;
  }

  /**
   * Token ids from the backend's `/tokenize` (llama-server's shape: `{content, add_special,
   * parse_special, with_pieces}` → `{tokens}`), tried under the base URL and then at the origin's
   * root, where llama-server serves it.
   */
  tokenFacts(): Promise<TokenFacts> {
    this.#tokens ??= this.#learnTokens();
    return this.#tokens;
  }

  async #learnTokens(): Promise<TokenFacts> {
    const candidates = [...new Set([`${this.baseURL}/tokenize`, `${new URL(this.baseURL).origin}/tokenize`])];
    const tried: string[] = [];
    for (const url of candidates) {
      const first = await this.#tokenize(url, "Hello", false);
      if (typeof first === "string") {
        tried.push(`POST ${url}: ${first}`);
        continue;
      }
      let endToken: EndToken | undefined;
      for (const marker of END_MARKERS) {
        const pieces = await this.#tokenize(url, marker, true);
        const only = typeof pieces === "string" || pieces.length !== 1 ? undefined : pieces[0];
        if (only && only.piece === marker) {
          endToken = { id: only.id, marker };
          break;
        }
      }
      let leadByte: LeadByte | undefined;
      for (const text of MULTI_BYTE_TEXTS) {
        const pieces = await this.#tokenize(url, text, false);
        if (typeof pieces === "string") continue;
        const lead = pieces.find(
          (piece) => Array.isArray(piece.piece) && piece.piece.length === 1 && (piece.piece[0] ?? 0) >= 0xc0,
        );
        if (lead && Array.isArray(lead.piece)) {
          leadByte = { id: lead.id, byte: lead.piece[0] as number, of: text };
          break;
        }
      }
      return { known: true, url, endToken, leadByte };
    }
    return { known: false, reason: `the backend offers no llama-server \`/tokenize\` (${tried.join("; ")})` };
  }

  /** The pieces of `content` (`with_pieces: true`), or why there are none. */
  async #tokenize(
    url: string,
    content: string,
    parseSpecial: boolean,
  ): Promise<{ id: number; piece: unknown }[] | string> {
    const body = JSON.stringify({ content, add_special: false, parse_special: parseSpecial, with_pieces: true });
    const answer = await this.#send(url, body, false, "tokenize");
    if ("failed" in answer) return answer.failed;
    if (answer.status !== 200) return `HTTP ${answer.status}`;
    const parsed = parseJson(answer.text ?? "");
    const tokens = parsed.ok && isObject(parsed.value) ? parsed.value.tokens : undefined;
    if (!Array.isArray(tokens) || !tokens.every((token) => isObject(token) && typeof token.id === "number")) {
      return `not \`{"tokens": [{"id", "piece"}]}\`: ${excerpt(answer.text ?? "", 80)}`;
    }
    return tokens as { id: number; piece: unknown }[];
  }

  #plain(maxTokens?: number): JsonObject {
    const { dialect, model } = this.probes.target;
    const body = probeBody("plainResponse", dialect, model);
    if (maxTokens === undefined) return body;
    const field = "max_completion_tokens" in body ? "max_completion_tokens" : "max_tokens";
    return { ...body, [field]: maxTokens };
  }

  #partial(lead: LeadByte): JsonObject {
    return { ...this.#plain(1), logit_bias: { [String(lead.id)]: 100 } };
  }

  async #response(name: ExtraProbe, body: JsonObject): Promise<ResponseRead> {
    const answer = await this.#answered(name, JSON.stringify(body), false);
    const label = EXTRA_LABELS[name];
    const expected = `a JSON object answering ${label} (POST ${this.probes.target.chatURL})`;
    if (answer.status < 200 || answer.status > 299) {
      throw new ProbeUnavailable(expected, `HTTP ${answer.status}: ${excerpt(answer.text ?? "")}`);
    }
    const parsed = parseJson(answer.text ?? "");
    if (!parsed.ok || !isObject(parsed.value)) {
      throw new NoEvidence(
        expected,
        `the answer was HTTP ${answer.status} ${answer.contentType || "without a content type"}: ${excerpt(answer.text ?? "") || "(empty)"}`,
      );
    }
    return { label, body: parsed.value };
  }

  async #stream(name: ExtraProbe, body: JsonObject): Promise<TimedStream> {
    const answer = await this.#answered(name, JSON.stringify(body), true);
    const label = EXTRA_LABELS[name];
    if (!answer.events) {
      throw new ProbeUnavailable(
        `a successful stream answering ${label} (POST ${this.probes.target.chatURL})`,
        `HTTP ${answer.status}: ${excerpt(answer.text ?? "")}`,
      );
    }
    const events = answer.events.map((timed) => timed.event);
    const read = readStream(label, answer.contentType, events, dialects[this.probes.dialect].stream.done_sentinel);
    return { ...read, arrivals: answer.events.map((timed) => timed.at) };
  }

  /** The answer to a request the backend may refuse, whatever its status, its body parsed where it is JSON. */
  async #anyStatus(name: ExtraProbe, body: string): Promise<ErrorRead> {
    const answer = await this.#answered(name, body, false);
    const text = answer.text ?? "";
    const parsed = parseJson(text);
    return { label: EXTRA_LABELS[name], status: answer.status, text, json: parsed.ok ? parsed.value : undefined };
  }

  /** A chat request's answer; a network failure leaves the probe without evidence. */
  async #answered(name: ExtraProbe, body: string, stream: boolean): Promise<RawAnswer> {
    let answer = this.#answers.get(name);
    if (!answer) {
      answer = this.#send(this.probes.target.chatURL, body, stream, name);
      this.#answers.set(name, answer);
    }
    const result = await answer;
    if ("failed" in result) {
      throw new ProbeUnavailable(
        `an answer to ${EXTRA_LABELS[name]} (POST ${this.probes.target.chatURL})`,
        result.failed,
      );
    }
    return result;
  }

  /**
   * One POST, the body sent exactly as given, cut off at the per-request timeout or at the run's
   * deadline, whichever comes first. Never throws.
   */
  async #send(url: string, body: string, stream: boolean, probe: string): Promise<RawAnswer | { failed: string }> {
    const { dialect, apiKey, timeoutMs, deadline, onProbe } = this.probes.target;
    const label = probe in EXTRA_LABELS ? EXTRA_LABELS[probe as ExtraProbe] : `POST ${url}`;
    const left = deadline - performance.now();
    if (left <= 0) return { failed: `${label} was not sent: the run's deadline had passed` };
    const limit = Math.min(timeoutMs, left);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), limit);
    const started = performance.now();
    onProbe?.(label);
    try {
      const response = await this.probes.target.fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: stream ? "text/event-stream" : "application/json",
          [PROBE_HEADER]: probe,
          ...authHeaders(dialect, apiKey),
        },
        body,
        signal: controller.signal,
      });
      const contentType = response.headers.get("content-type") ?? "";
      if (stream && response.ok && response.body) {
        const events: { event: ServerSentEvent; at: number }[] = [];
        for await (const event of iterateServerSentEvents(response.body)) {
          events.push({ event, at: performance.now() - started });
        }
        return { status: response.status, contentType, events };
      }
      return { status: response.status, contentType, text: await response.text() };
    } catch (error) {
      if (controller.signal.aborted) {
        const within = limit < timeoutMs ? "before the run's deadline" : `within ${seconds(timeoutMs)}`;
        return { failed: `POST ${url} (${label}) had no complete answer ${within}` };
      }
      return { failed: `POST ${url} failed: ${(error as Error).message}` };
    } finally {
      clearTimeout(timer);
      onProbe?.(undefined);
    }
  }
}
