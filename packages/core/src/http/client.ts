import type { z } from "zod";
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
import { withIdleTimeout } from "./idle-timeout.js";
import {
  errorFromResponse,
  parseJsonOrText,
  providerMessage,
  readTextBounded,
  requestIdOf,
} from "./response-errors.js";
import { DEFAULT_MAX_RETRIES, isRetryableStatus, retryDelayMs, serverRetryVerdict } from "./retry.js";

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
  /** Milliseconds a stream may go without a byte before it is closed with APITimeoutError. Default 30 000. */
  idleTimeout?: number | undefined;
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
  url: string;
  response: Response;
  attempt: Attempt;
  requestId: string | undefined;
}

/** The validator of a spec type; none is loaded when validation is off. */
const schemaFor = (name: SpecSchemaName, mode: ValidationMode): Promise<z.ZodType | undefined> | undefined =>
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

  constructor(options: ClientOptions) {
    this.options = options;
  }

  /** A non-streamed call: request checked, sent with retries, response parsed and checked. */
  postJSON<T>(call: JSONCall, options: RequestOptions = {}): APIPromise<T> {
    const exchange = this.#guard(async () => {
      const mode = await this.#checkRequest(call, options);
      const { url, response, attempt, requestId } = await this.#send(call, options);
      const describe = `POST ${url}`;
      let text: string;
      let truncated: boolean;
      try {
        ({ text, truncated } = await readTextBounded(response, MAX_RESPONSE_BYTES));
      } catch (error) {
        throw this.#failure(attempt.controller.signal, describe, error, "while reading the response");
      } finally {
        attempt.release();
      }
      const context = { status: response.status, headers: response.headers, requestId, rawBody: text };
      if (truncated) {
        throw new APIError(
          `${describe}: the response is larger than ${MAX_RESPONSE_BYTES} bytes, more than a chat completion can be.`,
          context,
        );
      }
      const body = parseJsonOrText(text);
      if (typeof body === "string") {
        throw new APIError(
          `${describe} answered ${response.status} but the body is not JSON: "${text.slice(0, 200)}". Check the base URL: it may point at a web page or a proxy, not the API.`,
          { ...context, body },
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
    });
    return new APIPromise(exchange);
  }

  /** A streamed call: request checked, sent with retries until the first byte, chunks checked as they come. */
  postStream<T = AnyChatCompletionChunk>(call: StreamCall<T>, options: RequestOptions = {}): StreamPromise<T> {
    const exchange = this.#guard(async (): Promise<WithResponse<Stream<T>>> => {
      const mode = await this.#checkRequest(call, options);
      const chunkSchema = await schemaFor(call.chunkSchema, mode);
      const { url, response, attempt, requestId } = await this.#send(call, options);
      attempt.settle();
      const describe = `POST ${url}`;
      const context = { status: response.status, headers: response.headers, requestId };
      const contentType = response.headers.get("content-type") ?? "";
      if (!contentType.includes("text/event-stream")) {
        attempt.release();
        const { text } = await readTextBounded(response);
        const body = parseJsonOrText(text);
        const said = providerMessage(body);
        throw new StreamError(
          said
            ? `${describe} answered with an error instead of a stream: ${said}`
            : `${describe} did not stream: expected text/event-stream, got "${contentType || "no content type"}" ("${text.slice(0, 200)}").`,
          { ...context, body, rawBody: text },
        );
      }
      if (!response.body) throw new StreamError(`${describe} answered ${response.status} with an empty body.`, context);
      const idleTimeout = options.idleTimeout ?? this.options.idleTimeout ?? DEFAULT_IDLE_TIMEOUT_MS;
      const body = withIdleTimeout(response.body, idleTimeout, describe);
      const logger = this.#logger();
      const toItem = call.toItem ?? ((chunk: AnyChatCompletionChunk) => chunk as T);
      const source = () =>
        chunksFromSSE(body, {
          ...context,
          describe,
          doneSentinel: call.doneSentinel,
          signal: attempt.controller.signal,
          maxEventSize: this.options.maxEventSize,
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
    });
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

  /** Runs a call and keeps the API key out of whatever error comes of it. */
  #guard<T>(run: () => Promise<WithResponse<T>>): Promise<WithResponse<T>> {
    const key = this.options.apiKey;
    return run().catch((error: unknown) => {
      if (key && key.length >= 4 && error instanceof Error && error.message.includes(key)) {
        error.message = error.message.split(key).join("[redacted]");
      }
      throw error;
    });
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
        `${describe}: connection failed ${when} (${reason}). Check the base URL and the network; the request is retried maxRetries times.`,
    );
  }

  /** Sends with retries and returns the first 2xx exchange, or throws the typed error of the last try. */
  async #send(call: CallSpec, options: RequestOptions): Promise<Exchange> {
    const url = this.#url(call.path);
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
        response = await fetchImpl(url, { method: "POST", headers, body, signal: attempt.controller.signal });
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
      let rawBody: string;
      try {
        const { text, truncated } = await readTextBounded(response);
        rawBody = truncated ? `${text}… [cut]` : text;
      } catch (error) {
        throw this.#failure(attempt.controller.signal, describe, error, "while reading an error response");
      } finally {
        attempt.release();
      }
      throw errorFromResponse({
        method: "POST",
        url,
        response,
        rawBody,
        retries,
        keyHint: this.options.apiKeySource ?? "the apiKey option",
      });
    }
  }
}
