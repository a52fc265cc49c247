import { type Check, specRule } from "../check.js";
import { shown } from "../describe.js";
import { messageContent } from "../probes.js";
import { extraProbes } from "../probes-extra.js";
import { fail, pass } from "../verdict.js";

/** JSON mode without a schema. */
export const jsonObjectCheck: Check = {
  id: "response-format.json-object",
  severity: "required",
  impact: specRule("`response_format` `json_object` in spec/chat-completions.schema.json: the reply is valid JSON"),
  needs: "a successful JSON reply to the `json_object` request",
  rationale:
    '`response_format: {"type": "json_object"}` promises a reply that parses as JSON; clients hand it straight to a JSON parser.',
  async run(probes) {
    const reply = await extraProbes(probes).jsonObjectResponse();
    const content = messageContent(reply.body, 0);
    const expected = `content that parses as JSON in ${reply.label}`;
    if (content === undefined) return fail(expected, "no string content in choice 0");
    try {
      JSON.parse(content);
    } catch (error) {
      return fail(expected, `${shown(content)}, which does not parse: ${(error as Error).message}`);
    }
    return pass();
  },
};
