export { CHECKS } from "./catalogue.js";
export { type CheckOptions, runChecks } from "./run-checks.js";
