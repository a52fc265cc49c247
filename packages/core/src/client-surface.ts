/**
 * What every provider package re-exports to its users: the error classes, the call and stream
 * types, and the spec types its calls take and return. One list, so the packages cannot drift apart.
 */
export {
  APIConnectionError,
  APIError,
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
export type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatMessage,
  Tool,
  ToolChoice,
  Usage,
} from "./generated/types.js";
export { APIPromise, StreamPromise, type WithResponse } from "./http/api-promise.js";
export type { RequestOptions } from "./http/client.js";
export { type AccumulatedCompletion, accumulateChunks } from "./streaming/accumulate.js";
export { Stream } from "./streaming/stream.js";
export type { ValidationMode } from "./validation.js";
