/**
 * `@chatwire/core`: what users of the SDKs call and type against — the transport, streams, the SSE
 * parser, the error classes and the spec's types. Covered by semver. What provider packages and the
 * conformance tools need besides lives in `@chatwire/core/internal`.
 */
export {
  APIConnectionError,
  APIError,
  type APIErrorContext,
  APITimeoutError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ChatwireError,
  ConflictError,
  EventTooLargeError,
  InternalServerError,
  MissingAPIKeyError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  StreamError,
  type StreamErrorKind,
  UnprocessableEntityError,
  ValidationError,
} from "./errors.js";
export * from "./generated/index.js";
export { APIPromise, StreamPromise, type WithResponse } from "./http/api-promise.js";
export {
  type CallSpec,
  type ClientOptions,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_TIMEOUT_MS,
  HTTPClient,
  type JSONCall,
  type RequestOptions,
  type StreamCall,
} from "./http/client.js";
export { DEFAULT_MAX_RETRIES } from "./http/retry.js";
export * from "./sse/index.js";
export { type AnyChatCompletionChunk, accumulateChunks, ChunkAccumulator } from "./streaming/accumulate.js";
export { Stream, type StreamOptions } from "./streaming/stream.js";
export type { Logger, ValidationMode } from "./validation.js";
