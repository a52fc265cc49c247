import { isObject, type JsonObject } from "../../json.js";
import { type Check, specRule } from "../check.js";
import { shown } from "../describe.js";
import { needChoices } from "../evidence.js";
import { LIMIT_MAX_TOKENS } from "../probe-requests.js";
import type { Probes } from "../probes.js";
import { contentOf } from "../stream-read.js";
import { Findings, fail, pass, skip, type Verdict } from "../verdict.js";

function choicesOfReply(body: JsonObject): JsonObject[] {
  return Array.isArray(body.choices) ? body.choices.filter(isObject) : [];
}

/** The tiny-limit reply's completion tokens, or a skip when it reported none. */
async function limitedReply(
  probes: Probes,
): Promise<{ body: JsonObject; label: string; completion: number } | Verdict> {
  const reply = await probes.response("maxTokensResponse");
  const usage = reply.body.usage;
  const completion = isObject(usage) ? usage.completion_tokens : undefined;
  if (!Number.isInteger(completion)) {
    return skip(`${reply.label} reported no integer usage.completion_tokens to compare with the limit`);
  }
  return { body: reply.body, label: reply.label, completion: completion as number };
}

/** Generation limits: `max_tokens` and `stop`. */
export const limitChecks: Check[] = [
  {
    id: "max-tokens.respected",
    severity: "required",
    impact: specRule('ChatCompletionRequest.max_tokens / max_completion_tokens: "most tokens to generate"'),
    needs: "the tiny-limit reply as JSON, with usage.completion_tokens (without usage it is a skip)",
    rationale: "Clients size prompts and costs by the token limit they send; generating past it breaks both.",
    async run(probes) {
      const reply = await limitedReply(probes);
      if ("outcome" in reply) return reply;
      if (reply.completion <= LIMIT_MAX_TOKENS) return pass();
      return fail(
        `at most ${LIMIT_MAX_TOKENS} completion tokens for a limit of ${LIMIT_MAX_TOKENS}`,
        `completion_tokens ${reply.completion} in ${reply.label}`,
      );
    },
  },
  {
    id: "max-tokens.finish-length",
    severity: "required",
    impact: specRule("FinishReason: `length` when generation stopped at the token limit"),
    needs: "the tiny-limit reply as JSON, with usage.completion_tokens (without usage it is a skip)",
    rationale:
      'A reply cut off by the limit must say `finish_reason: "length"`, or clients take a truncated answer for a whole one.',
    async run(probes) {
      const reply = await limitedReply(probes);
      if ("outcome" in reply) return reply;
      // Below the limit the model stopped by itself; above it is max-tokens.respected's finding.
      if (reply.completion !== LIMIT_MAX_TOKENS) {
        return pass(`the reply used ${reply.completion} of ${LIMIT_MAX_TOKENS} tokens, so the limit was not the cut`);
      }
      const findings = new Findings(`finish_reason "length" on a reply that used all ${LIMIT_MAX_TOKENS} tokens`);
      for (const choice of choicesOfReply(reply.body)) {
        if (choice.finish_reason !== "length") {
          findings.add(
            `choice ${shown(choice.index)} of ${reply.label} has finish_reason ${shown(choice.finish_reason)}`,
          );
        }
      }
      return findings.verdict();
    },
  },
  {
    id: "stop.excluded",
    severity: "required",
    impact: specRule('ChatCompletionRequest.stop: "the sequence itself is not returned"'),
    needs: "the plain reply (for a stop word), a choice in the stream with `stop`, the reply with `stop` as JSON",
    rationale: "A stop sequence ends the reply and is not part of it; clients that stop on it would otherwise show it.",
    async run(probes) {
      // The stop string comes from the plain reply: without that reply there is nothing to ask.
      await probes.response("plainResponse");
      const word = await probes.stopWord();
      if (word === undefined) return skip("the plain reply had no word of three letters or more to stop at");
      const findings = new Findings(`output without the stop sequence ${shown(word)} (stream and non-stream)`);
      const stream = await probes.stream("stopStream");
      for (const [index, parts] of needChoices(stream)) {
        const text = contentOf(parts);
        if (text.includes(word)) findings.add(`choice ${index} of ${stream.label} reads ${shown(text)}`);
      }
      const reply = await probes.response("stopResponse");
      for (const choice of choicesOfReply(reply.body)) {
        const message = isObject(choice.message) ? choice.message : {};
        const text = typeof message.content === "string" ? message.content : "";
        if (text.includes(word)) findings.add(`choice ${shown(choice.index)} of ${reply.label} reads ${shown(text)}`);
      }
      return findings.verdict(`stopped at ${shown(word)}`);
    },
  },
];
