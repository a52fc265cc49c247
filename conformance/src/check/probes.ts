import { type DialectId, dialects } from "@chatwire/core";
import { parseJson } from "@chatwire/core/internal";
import { authHeaders } from "../dialect-wire.js";
import { isObject, type JsonObject } from "../json.js";
import { needChunks } from "./evidence.js";
import { type AnsweredExchange, type Exchange, excerpt, performExchange, seconds } from "./exchange.js";
import {
  ERROR_PROBES,
  type ErrorProbe,
  PROBE_HEADER,
  PROBE_LABELS,
  type ProbeName,
  probeBody,
  RESPONSE_PROBES,
  type ResponseProbe,
  STREAM_PROBES,
  type StreamProbe,
} from "./probe-requests.js";
import { pickStopWord } from "./stop-word.js";
import { readStream, type StreamRead } from "./stream-read.js";
import { NoEvidence } from "./verdict.js";

/**
 * A probe a check needs was refused (an error status for a request the backend should serve): that
 * is a finding, so the check fails with this. A probe that got no answer at all is NoEvidence.
 */
export class ProbeUnavailable extends Error {
  constructor(
    readonly expected: string,
    readonly got: string,
  ) {
    super(`${expected}; got ${got}`);
  }
}

export interface ProbeTarget {
  dialect: DialectId;
  chatURL: string;
  apiKey: string | undefined;
  model: string;
  fetch: typeof fetch;
  timeoutMs: number;
  /** `performance.now()` after which no request is sent and the one in flight is cut off. */
  deadline: number;
  /** Told when a probe's request goes out (its label) and when its answer is in (undefined). */
  onProbe?: ((label: string | undefined) => void) | undefined;
}

/** A non-streamed reply, parsed. */
export interface ResponseRead {
  label: string;
  body: JsonObject;
}

/** An answer that was not a success: status and body, for the error checks. */
export interface ErrorRead {
  label: string;
  status: number;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/** Whether `options_require_stream` is set for the dialect (dialects.json `stream`). */
export function optionsRequireStream(dialect: DialectId): boolean {
  return dialects[dialect].stream.options_require_stream;
}

/**
 * The HTTP exchanges the checks read. Each probe runs at most once, when a check first asks for
 * it, and probes run one after another: many checks read one exchange, so a run costs a handful
 * of requests, and a backend never sees more than one at a time from us.
 */
export class Probes {
  readonly #exchanges = new Map<ProbeName, Promise<Exchange>>();
  #queue: Promise<unknown> = Promise.resolve();
  #stopWord: Promise<string | undefined> | undefined;

  constructor(readonly target: ProbeTarget) {}

  get dialect(): DialectId {
    return this.target.dialect;
  }

  /** Whether a probe is part of this run at all (some need a key, a dialect rule or a stop word). */
  async applies(name: ProbeName): Promise<boolean> {
    if (name === "badKey") return this.target.apiKey !== undefined;
    if (name === "streamOptionsWithoutStream") return optionsRequireStream(this.dialect);
    if (name === "stopStream" || name === "stopResponse") return (await this.stopWord()) !== undefined;
    return true;
  }

  /** The stop string of the stop probes, from the plain reply; undefined when it had no usable word. */
  stopWord(): Promise<string | undefined> {
    this.#stopWord ??= this.response("plainResponse").then(
      (reply) => pickStopWord(messageContent(reply.body, 0) ?? ""),
      () => undefined,
    );
    return this.#stopWord;
  }

  exchange(name: ProbeName): Promise<Exchange> {
    let exchange = this.#exchanges.get(name);
    if (!exchange) {
      exchange = this.#perform(name);
      this.#exchanges.set(name, exchange);
    }
    return exchange;
  }

  async #perform(name: ProbeName): Promise<Exchange> {
    // The body first: the stop probes' body waits on another probe, which must not queue behind them.
    const stop = name === "stopStream" || name === "stopResponse" ? await this.stopWord() : undefined;
    const { dialect, apiKey, model } = this.target;
    const key = name === "badKey" ? `${apiKey ?? ""}-not-the-key` : apiKey;
    const stream = (STREAM_PROBES as readonly string[]).includes(name);
    const request = {
      method: "POST" as const,
      url: this.target.chatURL,
      headers: {
        "content-type": "application/json",
        accept: stream ? "text/event-stream" : "application/json",
        [PROBE_HEADER]: name,
        ...authHeaders(dialect, key),
      },
      body: probeBody(name, dialect, model, stop),
      stream,
    };
    const run = this.#queue.then(() => this.#send({ ...request, label: PROBE_LABELS[name] }));
    this.#queue = run.catch(() => {});
    return run;
  }

  /** One request, cut off at the per-request timeout or at the run's deadline, whichever comes first. */
  async #send(request: Parameters<typeof performExchange>[0]): Promise<Exchange> {
    const { timeoutMs, deadline, fetch, onProbe } = this.target;
    const left = deadline - performance.now();
    if (left <= 0) {
      return { kind: "failed", error: `${request.label} was not sent: the run's deadline had passed` };
    }
    const byDeadline = left < timeoutMs;
    onProbe?.(request.label);
    try {
      return await performExchange(request, {
        fetch,
        timeoutMs: byDeadline ? left : timeoutMs,
        ...(byDeadline && { timeLimit: `before the run's deadline (${seconds(left)} were left)` }),
      });
    } finally {
      onProbe?.(undefined);
    }
  }

  /** A probe that must have answered with success; otherwise the checks reading it cannot judge. */
  async #succeeded(name: ProbeName): Promise<AnsweredExchange> {
    const exchange = await this.exchange(name);
    const expected = `a successful answer to ${PROBE_LABELS[name]} (POST ${this.target.chatURL}) to judge`;
    if (exchange.kind === "failed") throw new NoEvidence(`an answer to ${PROBE_LABELS[name]}`, exchange.error);
    if (exchange.status < 200 || exchange.status > 299) {
      throw new ProbeUnavailable(expected, `HTTP ${exchange.status}: ${excerpt(exchange.text ?? "")}`);
    }
    return exchange;
  }

  async stream(name: StreamProbe): Promise<StreamRead> {
    const exchange = await this.#succeeded(name);
    return readStream(
      PROBE_LABELS[name],
      exchange.contentType,
      exchange.events ?? [],
      dialects[this.dialect].stream.done_sentinel,
    );
  }

  async response(name: ResponseProbe): Promise<ResponseRead> {
    const exchange = await this.#succeeded(name);
    const text = exchange.text ?? "";
    const body = jsonOrUndefined(text);
    if (!isObject(body)) {
      throw new NoEvidence(
        `a JSON object answering ${PROBE_LABELS[name]}`,
        `the answer was HTTP ${exchange.status} ${exchange.contentType || "without a content type"}: ${excerpt(text) || "(empty)"}`,
      );
    }
    return { label: PROBE_LABELS[name], body };
  }

  /** The answer to an error probe, whatever its status; only a network failure makes it unavailable. */
  async errorAnswer(name: ErrorProbe): Promise<ErrorRead> {
    const exchange = await this.exchange(name);
    if (exchange.kind === "failed") throw new NoEvidence(`an answer to ${PROBE_LABELS[name]}`, exchange.error);
    const text = exchange.text ?? "";
    return { label: PROBE_LABELS[name], status: exchange.status, text, json: jsonOrUndefined(text) };
  }

  /**
   * Every stream that answered, for the checks that hold for any stream. The plain stream must be
   * among them; a feature stream that failed is the feature checks' finding, not a framing one.
   * `include` narrows the feature streams by probe; `need` is the evidence the plain stream must
   * carry (by default at least one chunk), or the caller gets NoEvidence.
   */
  async streams(
    include: (name: StreamProbe) => boolean = () => true,
    need: (plain: StreamRead) => unknown = needChunks,
  ): Promise<StreamRead[]> {
    const plain = await this.stream("plainStream");
    need(plain);
    const streams = [plain];
    for (const name of STREAM_PROBES) {
      if (name === "plainStream" || !include(name) || !(await this.applies(name))) continue;
      const stream = await this.stream(name).catch(() => undefined);
      if (stream) streams.push(stream);
    }
    return streams;
  }

  /** Every non-streamed reply that answered, the plain one required (see streams()). */
  async responses(): Promise<ResponseRead[]> {
    const responses = [await this.response("plainResponse")];
    for (const name of RESPONSE_PROBES) {
      if (name === "plainResponse" || !(await this.applies(name))) continue;
      const response = await this.response(name).catch(() => undefined);
      if (response) responses.push(response);
    }
    return responses;
  }

  /** Every answer with an error status, from any probe, for the error body schema. */
  async errorAnswers(): Promise<ErrorRead[]> {
    const answers: ErrorRead[] = [];
    for (const name of [...STREAM_PROBES, ...RESPONSE_PROBES, ...ERROR_PROBES]) {
      if (!(await this.applies(name))) continue;
      const exchange = await this.exchange(name);
      if (exchange.kind === "failed" || exchange.status < 400) continue;
      const text = exchange.text ?? "";
      answers.push({ label: PROBE_LABELS[name], status: exchange.status, text, json: jsonOrUndefined(text) });
    }
    return answers;
  }
}

/** The text of choice `index` of a non-streamed reply. */
export function messageContent(body: JsonObject, index: number): string | undefined {
  const choices = Array.isArray(body.choices) ? body.choices.filter(isObject) : [];
  const choice = choices.find((candidate) => candidate.index === index);
  const message = isObject(choice?.message) ? choice.message : undefined;
  return typeof message?.content === "string" ? message.content : undefined;
}

/** The parsed body, or undefined when it is not JSON. */
function jsonOrUndefined(text: string): unknown {
  const parsed = parseJson(text);
  return parsed.ok ? parsed.value : undefined;
}
