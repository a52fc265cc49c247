import { type Check, specRule } from "../check.js";
import { excerpt } from "../exchange.js";
import { extraProbes, NULL_OPTIONS } from "../probes-extra.js";
import { fail, pass } from "../verdict.js";

/** `null` for options that are not set. */
export const nullOptionsCheck: Check = {
  id: "request.null-options",
  severity: "required",
  impact: specRule(
    "`ChatCompletionRequest` in spec/chat-completions.schema.json allows `null` for each of these fields",
  ),
  needs: "an answer of any status to the request with nulls",
  rationale:
    "The spec's request schema allows `null` for unset options, and the Prediction Guard Python client sends every unset one as `null` on every call.",
  async run(probes) {
    const answer = await extraProbes(probes).nullOptions();
    if (answer.status >= 200 && answer.status < 300) return pass();
    return fail(
      `a reply to a request with ${NULL_OPTIONS.map((name) => `\`${name}: null\``).join(", ")}`,
      `HTTP ${answer.status}: ${excerpt(answer.text)}`,
    );
  },
};
