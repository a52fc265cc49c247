import { type Check, specRule } from "../check.js";
import { shown } from "../describe.js";
import { ANSWER_SCHEMA } from "../probe-requests.js";
import { messageContent } from "../probes.js";
import { describeProblems, validateAgainst } from "../schema-validation.js";
import { fail, pass } from "../verdict.js";

/** `response_format` with a JSON Schema. */
export const structuredOutputChecks: Check[] = [
  {
    id: "response-format.matches-schema",
    severity: "required",
    impact: specRule(
      'ResponseFormat json_schema: "JSON matching `json_schema.schema`" (for OctoAI, `json_object` with `schema`)',
    ),
    needs: "the `response_format` reply as JSON",
    rationale:
      "Clients parse a structured reply straight into their types; it must be JSON that follows the schema they sent.",
    async run(probes) {
      const reply = await probes.response("jsonResponse");
      const content = messageContent(reply.body, 0);
      const expected = `content that parses as JSON and matches the schema sent in ${reply.label}`;
      if (content === undefined) return fail(expected, "no string content in choice 0");
      let parsed: unknown;
      try {
        parsed = JSON.parse(content);
      } catch (error) {
        return fail(expected, `${shown(content)}, which does not parse: ${(error as Error).message}`);
      }
      const problems = validateAgainst(ANSWER_SCHEMA, parsed);
      return problems.length === 0 ? pass() : fail(expected, `${shown(content)}: ${describeProblems(problems)}`);
    },
  },
];
