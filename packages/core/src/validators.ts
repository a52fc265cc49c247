/**
 * `@chatwire/core/validators`: the spec's zod schemas and each dialect's validators, for code that
 * checks wire data itself (servers, tests, conformance tools). The SDKs do not import this at load
 * time; they load it on the first validated call (see spec-schemas.ts).
 */
export * from "./generated/schemas.js";
export { dialectValidators } from "./generated/validators.js";
