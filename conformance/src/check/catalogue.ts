import type { Check } from "./check.js";
import { choiceChecks } from "./checks/choices.js";
import { determinismChecks } from "./checks/determinism.js";
import { endTokenBiasCheck } from "./checks/end-token-bias.js";
import { envelopeChecks } from "./checks/envelope.js";
import { errorChecks } from "./checks/errors.js";
import { framingChecks } from "./checks/framing.js";
import { incrementalCheck } from "./checks/incremental.js";
import { jsonObjectCheck } from "./checks/json-object.js";
import { limitChecks } from "./checks/limits.js";
import { loglikelihoodCheck } from "./checks/loglikelihood.js";
import { logprobChecks } from "./checks/logprobs.js";
import { malformedJsonCheck } from "./checks/malformed-json.js";
import { multipleChoiceChecks } from "./checks/multiple-choices.js";
import { nullOptionsCheck } from "./checks/null-options.js";
import { partialCharacterRoleCheck } from "./checks/partial-character-role.js";
import { partialCharacterTextCheck } from "./checks/partial-character-text.js";
import { unknownAdapterCheck } from "./checks/peft.js";
import { schemaChecks } from "./checks/schema.js";
import { structuredOutputChecks } from "./checks/structured-output.js";
import { toolRequiredCheck } from "./checks/tool-required.js";
import { toolChecks } from "./checks/tools.js";
import { usageChecks } from "./checks/usage.js";

/** Every live check, in the order they run and are reported: the wire first, then features, then errors. */
export const CHECKS: readonly Check[] = [
  ...framingChecks,
  ...envelopeChecks,
  ...choiceChecks,
  partialCharacterRoleCheck,
  ...determinismChecks,
  partialCharacterTextCheck,
  incrementalCheck,
  ...usageChecks,
  ...limitChecks,
  endTokenBiasCheck,
  ...multipleChoiceChecks,
  ...logprobChecks,
  loglikelihoodCheck,
  ...toolChecks,
  toolRequiredCheck,
  ...structuredOutputChecks,
  jsonObjectCheck,
  ...errorChecks,
  unknownAdapterCheck,
  malformedJsonCheck,
  nullOptionsCheck,
  ...schemaChecks,
];
