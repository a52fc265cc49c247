/**
 * `@chatwire/core/internal`: the building blocks the provider packages and the conformance tools
 * share. Not covered by semver: anything here may change in any release. Application code should
 * use `@chatwire/core` or a provider package.
 */
export { errorClassForStatus, exchangeFailure } from "./errors.js";
export { parseJson, parseJsonOrText, providerMessage } from "./http/response-errors.js";
export { retryAfterMs, retryDelayMs } from "./http/retry.js";
export {
  type ProviderClientOptions,
  type ProviderIdentity,
  providerTransport,
  readEnv,
  userAgent,
} from "./provider.js";
export { loadSpecSchema, type SpecSchemaName } from "./spec-schemas.js";
export { checkAgainstSpec, jsonPath } from "./validation.js";
