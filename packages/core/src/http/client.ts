import type { z } from "zod/mini";
import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  APIUserAbortError,
  type ChatwireError,
  exchangeFailure,
  StreamError,
} from "../errors.js";
import { loadSpecSchema, type SpecSchemaName } from "../spec-schemas.js";
import type { AnyChatCompletionChunk } from "../streaming/accumulate.js";
import { chunksFromSSE } from "../streaming/sse-chunks.js";
import { Stream } from "../streaming/stream.js";
import { checkAgainstSpec, type Logger, type ValidationMode } from "../validation.js";
import { APIPromise, StreamPromise, type WithResponse } from "./api-promise.js";
import { keyRedactor, type Redactor, redactHeaders } from "./redact.js";
import {
  errorFields,
  errorFromResponse,
  parseJsonOrText,
  providerMessage,
  readTextBounded,
  requestIdOf,
} from "./response-errors.js";
import { DEFAULT_MAX_RETRIES, isRetryableStatus, retryDelayMs, serverRetryVerdict } from "./retry.js";
import { withStreamTimeouts } from "./stream-timeouts.js";

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
const UNEXPECTED_RESPONSE_HINT =
  "The provider sent something the spec does not allow; pass validation: 'warn' or 'off' to accept it anyway.";

export interface ClientOptions {
  /** Where the API lives, e.g. `https://inference.do-ai.run`. */
  baseURL: string;
  apiKey?: string | undefined;
  /** Where the key comes from, named in authentication errors (e.g. `GRADIENT_MODEL_ACCESS_KEY`). */
  apiKeySource?: string | undefined;
  /** How the key is sent; `Authorization: Bearer <key>` unless told otherwise. */
  auth?: { header: string; scheme: string } | undefined;
  /** `chatwire/<package>/<version>`. */
  userAgent: string;
  fetch?: typeof fetch | undefined;
  defaultHeaders?: Record<string, string> | undefined;
  /** Retries after a connection error, 408, 409, 429 or 5xx. Default 2. */
  maxRetries?: number | undefined;
  /** Milliseconds for a whole request; for a stream, until its headers arrive. Default 60 000. */
  timeout?: number | undefined;
  /**
   * Milliseconds a stream may go without a byte before it ends in a StreamError of kind
   * `idle-timeout`. Default 30 000. SSE comments (keep-alives) count as bytes.
   */
  idleTimeout?: number | undefined;
  /**
   * Milliseconds a whole stream may take, from its headers to its end, before it ends in a
   * StreamError of kind `stream-timeout`; off by default. Set it where a server could keep a
   * stream alive with comments alone.
   */
  streamTimeout?: number | undefined;
  validation?: ValidationMode | undefined;
  /** Largest server-sent event, in characters. Default 16 MiB. */
  maxEventSize?: number | undefined;
  logger?: Logger | undefined;
}

export interface RequestOptions {
  /** Extra headers for this request; `null` removes a default header. */
  headers?: Record<string, string | null | undefined> | undefined;
  maxRetries?: number | undefined;
  timeout?: number | undefined;
  idleTimeout?: number | undefined;
  streamTimeout?: number | undefined;
  signal?: AbortSignal | undefined;
  validation?: ValidationMode | undefined;
}

/**
 * One call of an endpoint: where, what, and the spec types it is checked against, by name (the
 * dialect table's `schemas`); their validators load with the first validated call.
 */
export interface CallSpec {
  path: string;
  body: unknown;
  /** Names the call in messages, e.g. `Gradient chat request`. */
  what: string;
  requestSchema: SpecSchemaName;
}

export interface JSONCall extends CallSpec {
  responseSchema: SpecSchemaName;
}

export interface StreamCall<T> extends CallSpec {
  chunkSchema: SpecSchemaName;
  doneSentinel: string | null;
  /** Shapes each validated chunk into the stream's item (e.g. `{ data: chunk }`). */
  toItem?: ((chunk: AnyChatCompletionChunk) => T) | undefined;
  /** The inverse of toItem, for `finalCompletion()`. */
  toChunk?: ((item: T) => AnyChatCompletionChunk) | undefined;
}

interface Attempt {
  controller: AbortController;
  /** Stops the request timer; the controller stays usable for a stream's body. */
  settle(): void;
  /** Settles and stops listening to the caller's signal: the exchange is over. */
  release(): void;
}

interface Exchange {
  /** The URL as messages show it: the API key, if the base URL carries it, redacted. */
  url: string;
  response: Response;
  attempt: Attempt;
  requestId: string | undefined;
}

/** The validator of a spec type; none is loaded when validation is off. */
const schemaFor = (name: SpecSchemaName, mode: ValidationMode): Promise<z.ZodMiniType | undefined> | undefined =>
  mode === "off" ? undefined : loadSpecSchema(name);

const sleep = (ms: number, signal: AbortSignal | undefined): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/** The transport every provider package stands on: JSON and SSE over fetch, with retries, timeouts and validation. */
export class HTTPClient {
  readonly options: Readonly<ClientOptions>;
  /** Keeps the key out of errors, in what came from outside: chatwire's own words are never rewritten. */
  readonly #redact: Redactor;

  constructor(options: ClientOptions) {
    this.options = options;
    this.#redact = keyRedactor(options.apiKey);
  }

  /** A non-streamed call: request checked, sent with retries, response parsed and checked. */
  postJSON<T>(call: JSONCall, options: RequestOptions = {}): APIPromise<T> {
    const exchange = (async () => {
      const mode = await this.#checkRequest(call, options);
      const { url, response, attempt, requestId } = await this.#send(call, options);
      const describe = `POST ${url}`;
      const { text, truncated } = await this.#readBody(response, attempt, describe, MAX_RESPONSE_BYTES);
      // Only an error quotes the body: a completion is not scanned for the key.
      if (truncated) {
        throw new APIError(
          `${describe}: the response is larger than ${MAX_RESPONSE_BYTES} bytes, more than a chat completion can be.`,
          this.#outsideContext(response, requestId, text),
        );
      }
      const body = parseJsonOrText(text);
      if (typeof body === "string") {
        const context = this.#outsideContext(response, requestId, text);
        throw new APIError(
          `${describe} answered ${response.status} but the body is not JSON: "${context.rawBody.slice(0, 200)}". Check the base URL: it may point at a web page or a proxy, not the API.`,
          { ...context, body: context.rawBody },
        );
      }
      const data = checkAgainstSpec<T>(
        await schemaFor(call.responseSchema, mode),
        body,
        `The response of ${describe}`,
        mode,
        this.#logger(),
        UNEXPECTED_RESPONSE_HINT,
      );
      return { data, response, requestId };
    })();
    return new APIPromise(exchange);
  }

  /** A streamed call: request checked, sent with retries until the first byte, chunks checked as they come. */
  postStream<T = AnyChatCompletionChunk>(call: StreamCall<T>, options: RequestOptions = {}): StreamPromise<T> {
    const exchange = (async (): Promise<WithResponse<Stream<T>>> => {
      const mode = await this.#checkRequest(call, options);
      const chunkSchema = await schemaFor(call.chunkSchema, mode);
      const { url, response, attempt, requestId } = await this.#send(call, options);
      const describe = `POST ${url}`;
      const context = this.#outsideContext(response, requestId);
      const contentType = response.headers.get("content-type") ?? "";
      if (!contentType.includes("text/event-stream")) {
        // Read under the request timeout and the caller's signal: a body that stalls must not hang the call.
        const { text } = await this.#readBody(response, attempt, describe);
        const rawBody = this.#redact(text);
        const body = parseJsonOrText(rawBody);
        const said = providerMessage(body);
        throw new StreamError(
          said
            ? `${describe} answered with an error instead of a stream: ${said}`
            : `${describe} did not stream: expected text/event-stream, got "${contentType || "no content type"}" ("${rawBody.slice(0, 200)}").`,
          "not-event-stream",
          { ...context, ...errorFields(body), body, rawBody },
        );
      }
      attempt.settle();
      if (!response.body) {
        throw new StreamError(`${describe} answered ${response.status} with an empty body.`, "empty-body", context);
      }
      const body = withStreamTimeouts(response.body, {
        idleMs: options.idleTimeout ?? this.options.idleTimeout ?? DEFAULT_IDLE_TIMEOUT_MS,
        streamMs: options.streamTimeout ?? this.options.streamTimeout,
        describe,
        context,
      });
      const logger = this.#logger();
      const toItem = call.toItem ?? ((chunk: AnyChatCompletionChunk) => chunk as T);
      const source = () =>
        chunksFromSSE(body, {
          ...context,
          describe,
          doneSentinel: call.doneSentinel,
          signal: attempt.controller.signal,
          maxEventSize: this.options.maxEventSize,
          redact: this.#redact,
          onEnd: attempt.release,
          parseChunk: (json, n) =>
            toItem(
              checkAgainstSpec<AnyChatCompletionChunk>(
                chunkSchema,
                json,
                `Chunk ${n} of ${describe}`,
                mode,
                logger,
                UNEXPECTED_RESPONSE_HINT,
              ),
            ),
        });
      const stream = new Stream<T>(source, attempt.controller, {
        toChunk: call.toChunk ?? (call.toItem ? undefined : (item: T) => item as AnyChatCompletionChunk),
      });
      return { data: stream, response, requestId };
    })();
    return new StreamPromise(exchange);
  }

  #logger(): Logger {
    return this.options.logger ?? console;
  }

  /** The validation mode of this call; the request is checked with it before anything is sent. */
  async #checkRequest(call: CallSpec, options: RequestOptions): Promise<ValidationMode> {
    const mode = options.validation ?? this.options.validation ?? "strict";
    checkAgainstSpec(
      await schemaFor(call.requestSchema, mode),
      call.body,
      `The ${call.what}`,
      mode,
      this.#logger(),
      "Nothing was sent. Fix the request, or pass validation: 'off' to send it as it is.",
    );
    return mode;
  }

  /** Status, request id and headers of a response, with the key out of the headers (and of the body, if given). */
  #outsideContext(response: Response, requestId: string | undefined, rawBody = "") {
    return {
      status: response.status,
      headers: redactHeaders(response.headers, this.#redact),
      requestId,
      rawBody: this.#redact(rawBody),
    };
  }

  /**
   * Reads a body while the try's request timer and the caller's signal still run, and ends the
   * exchange. Races the abort too: a fetch that does not end a body read on abort must not hang it.
   */
  async #readBody(
    response: Response,
    attempt: Attempt,
    describe: string,
    limit?: number,
  ): Promise<{ text: string; truncated: boolean }> {
    const signal = attempt.controller.signal;
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
    });
    try {
      return await Promise.race([readTextBounded(response, limit), aborted]);
    } catch (error) {
      response.body?.cancel().catch(() => {});
      throw this.#failure(signal, describe, error, "while reading the response");
    } finally {
      if (onAbort) signal.removeEventListener("abort", onAbort);
      attempt.release();
    }
  }

  #url(path: string): string {
    return `${this.options.baseURL.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
  }

  #headers(options: RequestOptions): Headers {
    const headers = new Headers({
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "user-agent": this.options.userAgent,
    });
    const { apiKey, auth } = this.options;
    if (apiKey) {
      const { header, scheme } = auth ?? { header: "Authorization", scheme: "Bearer" };
      headers.set(header, scheme ? `${scheme} ${apiKey}` : apiKey);
    }
    for (const [name, value] of Object.entries(this.options.defaultHeaders ?? {})) headers.set(name, value);
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (value === null) headers.delete(name);
      else if (value !== undefined) headers.set(name, value);
    }
    return headers;
  }

  /** Starts one try: its own AbortController, fired by the caller's signal or by the request timeout. */
  #attempt(options: RequestOptions, describe: string): Attempt {
    const controller = new AbortController();
    const userSignal = options.signal;
    const timeout = options.timeout ?? this.options.timeout ?? DEFAULT_TIMEOUT_MS;
    const onUserAbort = () =>
      controller.abort(new APIUserAbortError(`${describe} was aborted by the caller.`, { cause: userSignal?.reason }));
    if (userSignal?.aborted) onUserAbort();
    else userSignal?.addEventListener("abort", onUserAbort, { once: true });
    const timer = setTimeout(
      () =>
        controller.abort(
          new APITimeoutError(`${describe} timed out after ${timeout} ms. Raise the timeout option, or try again.`),
        ),
      timeout,
    );
    const settle = () => clearTimeout(timer);
    return {
      controller,
      settle,
      release: () => {
        settle();
        userSignal?.removeEventListener("abort", onUserAbort);
      },
    };
  }

  /** The typed error for an exception during the exchange that `signal` controls. */
  #failure(signal: AbortSignal, describe: string, error: unknown, when: string): ChatwireError {
    return exchangeFailure(
      signal,
      error,
      describe,
      (reason) =>
        `${describe}: connection failed ${when} (${this.#redact(reason)}). Check the base URL and the network; the request is retried maxRetries times.`,
    );
  }

  /** Sends with retries and returns the first 2xx exchange, or throws the typed error of the last try. */
  async #send(call: CallSpec, options: RequestOptions): Promise<Exchange> {
    const target = this.#url(call.path);
    const url = this.#redact(target);
    const describe = `POST ${url}`;
    const fetchImpl = this.options.fetch ?? globalThis.fetch;
    const maxRetries = options.maxRetries ?? this.options.maxRetries ?? DEFAULT_MAX_RETRIES;
    const headers = this.#headers(options);
    const body = JSON.stringify(call.body);
    const waitOrAbort = async (ms: number) => {
      try {
        await sleep(ms, options.signal);
      } catch (cause) {
        throw new APIUserAbortError(`${describe} was aborted by the caller while waiting to retry.`, { cause });
      }
    };

    for (let retries = 0; ; retries += 1) {
      const attempt = this.#attempt(options, describe);
      let response: Response;
      try {
        response = await fetchImpl(target, { method: "POST", headers, body, signal: attempt.controller.signal });
      } catch (error) {
        attempt.release();
        const failure = this.#failure(attempt.controller.signal, describe, error, "before a response came");
        if (failure instanceof APIUserAbortError || retries >= maxRetries) {
          if (retries > 0 && failure instanceof APIConnectionError) {
            failure.message += ` (gave up after ${retries} ${retries === 1 ? "retry" : "retries"})`;
          }
          throw failure;
        }
        await waitOrAbort(retryDelayMs(retries));
        continue;
      }

      const requestId = requestIdOf(response.headers);
      if (response.ok) return { url, response, attempt, requestId };

      const retry =
        retries < maxRetries && (serverRetryVerdict(response.headers) ?? isRetryableStatus(response.status));
      if (retry) {
        attempt.release();
        // Not awaited: some fetch implementations never settle the cancel of a body nobody read.
        response.body?.cancel().catch(() => {});
        await waitOrAbort(retryDelayMs(retries, response.headers));
        continue;
      }
      const { text, truncated } = await this.#readBody(response, attempt, describe);
      const rawBody = this.#redact(truncated ? `${text}… [cut]` : text);
      throw errorFromResponse({
        method: "POST",
        url,
        response,
        headers: redactHeaders(response.headers, this.#redact),
        rawBody,
        retries,
        keyHint: this.options.apiKeySource ?? "the apiKey option",
      });
    }
  }
}
