export * from "./errors.js";
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
export { parseJson, parseJsonOrText, providerMessage } from "./http/response-errors.js";
export { DEFAULT_MAX_RETRIES, retryAfterMs, retryDelayMs } from "./http/retry.js";
export {
  type ProviderClientOptions,
  type ProviderIdentity,
  providerTransport,
  readEnv,
  userAgent,
} from "./provider.js";
export { loadSpecSchema, type SpecSchemaName } from "./spec-schemas.js";
export * from "./sse/index.js";
export { type AnyChatCompletionChunk, accumulateChunks, ChunkAccumulator } from "./streaming/accumulate.js";
export { Stream, type StreamOptions } from "./streaming/stream.js";
export { checkAgainstSpec, jsonPath, type Logger, type ValidationMode } from "./validation.js";
