import { type Check, specRule } from "../check.js";
import { needChunks } from "../evidence.js";
import { partsByChoice } from "../stream-read.js";
import { fail, pass } from "../verdict.js";

/** `n: 2` in one stream. */
export const multipleChoiceChecks: Check[] = [
  {
    id: "n.two-choices",
    severity: "required",
    impact: specRule('ChatCompletionRequest.n: "how many choices to generate"'),
    needs: "at least one chunk of the `n: 2` stream",
    rationale:
      "With `n: 2` clients build two replies from choice indexes 0 and 1; a missing or extra index loses or invents one (each choice's finish is finish.exactly-once).",
    async run(probes) {
      const stream = await probes.stream("multiStream");
      const indexes = [...partsByChoice(needChunks(stream)).keys()].sort((a, b) => a - b);
      if (indexes.length === 2 && indexes[0] === 0 && indexes[1] === 1) return pass();
      return fail(
        `choices with index 0 and 1 in ${stream.label}`,
        indexes.length === 0 ? "no choices" : `choice indexes ${indexes.join(", ")}`,
      );
    },
  },
];
