export { CHECKS } from "./catalogue.js";
export type { Check } from "./check.js";
export { type CheckOptions, runChecks } from "./run-checks.js";
