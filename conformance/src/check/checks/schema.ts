import { dialects } from "@chatwire/core";
import { type Check, specRule } from "../check.js";
import { at } from "../describe.js";
import { needSome } from "../evidence.js";
import { excerpt } from "../exchange.js";
import { describeProblems, specValidator } from "../schema-validation.js";
import { Findings } from "../verdict.js";

/**
 * Chunk fields that the envelope and finish checks judge on their own. Their problems are left to
 * those checks, so a wrong `object` trips envelope.object alone rather than that and the schema.
 */
const OWNED_CHUNK_PATHS = /^\/(id|object|created|model|choices)$|^\/choices\/\d+(\/(index|delta|finish_reason))?$/;

/** Every chunk, reply and error body against the dialect's schema from the spec. */
export const schemaChecks: Check[] = [
  {
    id: "schema.chunks",
    severity: "required",
    impact: specRule(
      "the dialect's chunk schema (dialects.json `schemas.chunk`); core validates every chunk strictly by default",
    ),
    needs: "at least one chunk of the plain stream",
    rationale:
      "Typed SDKs validate each chunk against the dialect's chunk schema; one that does not match is rejected (fields the envelope and finish checks own are left to them).",
    async run(probes) {
      const name = dialects[probes.dialect].schemas.chunk;
      const validate = specValidator(name);
      const findings = new Findings(`every chunk to match ${name} in spec/chat-completions.schema.json`);
      for (const stream of await probes.streams()) {
        for (const chunk of stream.chunks) {
          const problems = validate(chunk.value).filter((problem) => !OWNED_CHUNK_PATHS.test(problem.path));
          if (problems.length > 0) findings.add(`${at(chunk.event, stream.label)}: ${describeProblems(problems)}`);
        }
      }
      return findings.verdict();
    },
  },
  {
    id: "schema.responses",
    severity: "required",
    impact: specRule(
      "the dialect's response schema (dialects.json `schemas.response`); core validates every reply strictly by default",
    ),
    needs: "the plain reply as JSON",
    rationale:
      "Typed SDKs validate a non-streamed reply against the dialect's response schema; one that does not match is rejected.",
    async run(probes) {
      const name = dialects[probes.dialect].schemas.response;
      const validate = specValidator(name);
      const findings = new Findings(`every non-streamed reply to match ${name} in spec/chat-completions.schema.json`);
      for (const reply of await probes.responses()) {
        const problems = validate(reply.body);
        if (problems.length > 0) findings.add(`${reply.label}: ${describeProblems(problems)}`);
      }
      return findings.verdict();
    },
  },
  {
    id: "schema.error-bodies",
    severity: "required",
    impact: specRule("the dialect's error schema (dialects.json `schemas.error`); core takes the message from it"),
    needs: "at least one answer with an error status",
    rationale:
      "SDKs turn error bodies into typed errors with the server's message; a body of another shape loses the message.",
    async run(probes) {
      const name = dialects[probes.dialect].schemas.error;
      const validate = specValidator(name);
      const findings = new Findings(
        `every error body to be JSON matching ${name} in spec/chat-completions.schema.json`,
      );
      const answers = await probes.errorAnswers();
      needSome(
        answers.length,
        "at least one answer with an error status",
        "no request was refused (or none was answered)",
      );
      for (const answer of answers) {
        if (answer.json === undefined) {
          findings.add(
            `${answer.label} answered HTTP ${answer.status} with a body that is not JSON: ${excerpt(answer.text)}`,
          );
          continue;
        }
        const problems = validate(answer.json);
        if (problems.length > 0) {
          findings.add(`${answer.label} answered ${excerpt(answer.text, 120)}: ${describeProblems(problems)}`);
        }
      }
      return findings.verdict();
    },
  },
];
