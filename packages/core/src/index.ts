/**
 * `@chatwire/core`: what users of the SDKs call and type against — the transport, streams, the SSE
 * parser, the error classes and the spec's types. Covered by semver. What provider packages and the
 * conformance tools need besides lives in `@chatwire/core/internal`.
 */
// What the provider packages re-export (the error classes, call and stream types, spec types), plus
// what SDK code that stands on core itself calls.
export * from "./client-surface.js";
export type { APIErrorContext } from "./errors.js";
export * from "./generated/index.js";
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
export { type AnyChatCompletionChunk, ChunkAccumulator } from "./streaming/accumulate.js";
export type { StreamOptions } from "./streaming/stream.js";
export type { Logger } from "./validation.js";
