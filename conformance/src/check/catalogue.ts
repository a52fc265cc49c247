import type { Check } from "./check.js";
import { choiceChecks } from "./checks/choices.js";
import { determinismChecks } from "./checks/determinism.js";
import { envelopeChecks } from "./checks/envelope.js";
import { errorChecks } from "./checks/errors.js";
import { framingChecks } from "./checks/framing.js";
import { limitChecks } from "./checks/limits.js";
import { logprobChecks } from "./checks/logprobs.js";
import { multipleChoiceChecks } from "./checks/multiple-choices.js";
import { schemaChecks } from "./checks/schema.js";
import { structuredOutputChecks } from "./checks/structured-output.js";
import { toolChecks } from "./checks/tools.js";
import { usageChecks } from "./checks/usage.js";

/** Every live check, in the order they run and are reported: the wire first, then features, then errors. */
export const CHECKS: readonly Check[] = [
  ...framingChecks,
  ...envelopeChecks,
  ...choiceChecks,
  ...determinismChecks,
  ...usageChecks,
  ...limitChecks,
  ...multipleChoiceChecks,
  ...logprobChecks,
  ...toolChecks,
  ...structuredOutputChecks,
  ...errorChecks,
  ...schemaChecks,
];
