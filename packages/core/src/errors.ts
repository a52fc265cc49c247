/**
 * Every error chatwire throws is a ChatwireError. HTTP failures are APIErrors with one subclass per
 * status family, so callers can `catch (e) { if (e instanceof RateLimitError) ... }`.
 */
export class ChatwireError extends Error {
  override name = "ChatwireError";
}

/** What is known about the exchange an error came from. */
export interface APIErrorContext {
  status?: number | undefined;
  headers?: Headers | undefined;
  /** The provider's request id (`x-request-id` or similar), for support tickets. */
  requestId?: string | undefined;
  /** The parsed JSON error body, or the raw text when it was not JSON. */
  body?: unknown;
  /** The body exactly as it arrived. */
  rawBody?: string | undefined;
  /** The provider's error code from the body (`error.code`), a string or a number as it was sent. */
  code?: string | number | null | undefined;
  /** The request field the provider blames (`error.param`). */
  param?: string | null | undefined;
  /** The provider's error class (`error.type`), e.g. `invalid_request_error`. */
  type?: string | undefined;
  cause?: unknown;
}

export class APIError extends ChatwireError {
  override name = "APIError";
  readonly status: number | undefined;
  readonly headers: Headers | undefined;
  readonly requestId: string | undefined;
  readonly body: unknown;
  readonly rawBody: string | undefined;
  /** The provider's error code, as sent (`"model_not_found"`, `429`, or null); undefined where the body has none. */
  readonly code: string | number | null | undefined;
  /** The request field the error is about, as sent (a name, or null); undefined where the body has none. */
  readonly param: string | null | undefined;
  /** The provider's error class (`invalid_request_error`, ...); undefined where the body has none. */
  readonly type: string | undefined;

  constructor(message: string, context: APIErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.status = context.status;
    this.headers = context.headers;
    this.requestId = context.requestId;
    this.body = context.body;
    this.rawBody = context.rawBody;
    this.code = context.code;
    this.param = context.param;
    this.type = context.type;
  }

  /** The same as `requestId`, under openai-node's name. */
  get requestID(): string | undefined {
    return this.requestId;
  }
}

export class BadRequestError extends APIError {
  override name = "BadRequestError";
}
export class AuthenticationError extends APIError {
  override name = "AuthenticationError";
}
export class PermissionDeniedError extends APIError {
  override name = "PermissionDeniedError";
}
export class NotFoundError extends APIError {
  override name = "NotFoundError";
}
export class ConflictError extends APIError {
  override name = "ConflictError";
}
export class UnprocessableEntityError extends APIError {
  override name = "UnprocessableEntityError";
}
export class RateLimitError extends APIError {
  override name = "RateLimitError";
}
export class InternalServerError extends APIError {
  override name = "InternalServerError";
}

/** The request never got a response: DNS, refused or reset connection, TLS failure. */
export class APIConnectionError extends APIError {
  override name = "APIConnectionError";
}

/** The request, or a stream that went quiet, ran past its timeout. */
export class APITimeoutError extends APIConnectionError {
  override name = "APITimeoutError";
}

/** The caller aborted the request (its AbortSignal fired, or it stopped reading a stream). */
export class APIUserAbortError extends APIError {
  override name = "APIUserAbortError";
}

/**
 * What went wrong with a stream, so callers can tell failures apart without reading the message
 * (a connection that breaks mid-stream is an APIConnectionError, as before the stream):
 * - `not-event-stream`: a 2xx answer that is not `text/event-stream` (often an error body or a web page);
 * - `empty-body`: a 2xx event-stream answer without a body;
 * - `error-event`: the server sent an error (an `event: error`, or a chunk that is an error object);
 * - `invalid-json`: a chunk's data is not JSON;
 * - `too-large`: a line or event grew past `maxEventSize` (an {@link EventTooLargeError});
 * - `truncated`: the stream ended without its done sentinel, so the answer may be cut short;
 * - `idle-timeout`: no byte came for `idleTimeout` ms;
 * - `stream-timeout`: the whole stream ran past `streamTimeout` ms;
 * - `unassemblable`: `finalCompletion()` cannot add the chunks up (they do not have a chunk's shape).
 */
export type StreamErrorKind =
  | "not-event-stream"
  | "empty-body"
  | "error-event"
  | "invalid-json"
  | "too-large"
  | "truncated"
  | "idle-timeout"
  | "stream-timeout"
  | "unassemblable";

/** A stream that went wrong after its response came: an error event, a malformed chunk, an early end, a stall. */
export class StreamError extends APIError {
  override name = "StreamError";
  readonly kind: StreamErrorKind;
  /** The raw server-sent event that carried the error, when there was one. */
  readonly event: { event: string; data: string; id: string } | undefined;

  constructor(
    message: string,
    kind: StreamErrorKind,
    context: APIErrorContext & { event?: StreamError["event"] } = {},
  ) {
    super(message, context);
    this.kind = kind;
    this.event = context.event;
  }
}

/** A server-sent-events line or event grew past the configured size limit. */
export class EventTooLargeError extends StreamError {
  override name = "EventTooLargeError";

  constructor(message: string, context: APIErrorContext = {}) {
    super(message, "too-large", context);
  }
}

/** A client was created without an API key, neither passed nor in the environment. */
export class MissingAPIKeyError extends ChatwireError {
  override name = "MissingAPIKeyError";
}

/** A request, response or chunk that does not match the spec. */
export class ValidationError extends ChatwireError {
  override name = "ValidationError";
  /** Where the document is wrong, as a JSON path (`$.messages[0].role`). */
  readonly path: string;
  /** Every problem found, each with its path. */
  readonly issues: readonly { path: string; message: string }[];

  constructor(message: string, issues: readonly { path: string; message: string }[]) {
    super(message);
    this.issues = issues;
    this.path = issues[0]?.path ?? "$";
  }
}

/**
 * The typed error for an exception thrown during an exchange that `signal` controls: the abort's own
 * typed reason (timeout, caller abort), an APIUserAbortError for a bare abort, a ChatwireError as it
 * is, and anything else (a reset socket, a DNS failure) as an APIConnectionError.
 */
export function exchangeFailure(
  signal: AbortSignal,
  error: unknown,
  describe: string,
  connectionLost: (reason: string) => string,
  context: APIErrorContext = {},
): ChatwireError {
  if (signal.aborted) {
    if (signal.reason instanceof ChatwireError) return signal.reason;
    return new APIUserAbortError(`${describe} was aborted by the caller.`, { ...context, cause: error });
  }
  if (error instanceof ChatwireError) return error;
  // fetch reports network failures as TypeError("fetch failed") with the real reason as its cause.
  const reason =
    error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
  return new APIConnectionError(connectionLost(reason), { ...context, cause: error });
}

/** The APIError subclass for an HTTP status. */
export function errorClassForStatus(status: number): typeof APIError {
  switch (status) {
    case 400:
      return BadRequestError;
    case 401:
      return AuthenticationError;
    case 403:
      return PermissionDeniedError;
    case 404:
      return NotFoundError;
    case 409:
      return ConflictError;
    case 422:
      return UnprocessableEntityError;
    case 429:
      return RateLimitError;
    default:
      return status >= 500 ? InternalServerError : APIError;
  }
}
