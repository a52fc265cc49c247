/**
 * `@chatwire/core/validators`: the spec's zod schemas and each dialect's validators, for code that
 * checks wire data itself (servers, tests, conformance tools). The SDKs never import this entry;
 * their transport loads the schemas with the first validated call (see spec-schemas.ts).
 */
export * from "./generated/schemas.js";
export { dialectValidators } from "./generated/validators.js";
