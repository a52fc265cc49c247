import { dialects } from "@chatwire/core";
import { isObject, type JsonObject } from "../../json.js";
import { advice, type Check, specRule } from "../check.js";
import { at, shown } from "../describe.js";
import { needChunks } from "../evidence.js";
import { asksForUsage } from "../probe-requests.js";
import { choicesOf, partsByChoice, usageChunks } from "../stream-read.js";
import { Findings, fail, pass, skip } from "../verdict.js";

/** The integer counts of a usage object, or undefined when it has not got all three (the schema checks say why). */
function counts(usage: unknown): { prompt: number; completion: number; total: number } | undefined {
  if (!isObject(usage)) return undefined;
  const { prompt_tokens: prompt, completion_tokens: completion, total_tokens: total } = usage;
  if (!Number.isInteger(prompt) || !Number.isInteger(completion) || !Number.isInteger(total)) return undefined;
  return { prompt: prompt as number, completion: completion as number, total: total as number };
}

/** Token usage: only when asked, where the dialect puts it, and adding up. */
export const usageChecks: Check[] = [
  {
    id: "usage.absent-unless-asked",
    severity: "recommended",
    impact: advice(
      "core keeps a stray usage as the completion's usage, so nothing is lost; code that reads `choices[0]` of every chunk breaks on a usage-only chunk it did not ask for",
    ),
    needs: "at least one chunk of the plain stream",
    rationale:
      "Without `stream_options.include_usage` clients do not expect usage; a stray usage chunk is read as an extra, empty reply.",
    async run(probes) {
      const findings = new Findings("no chunk with a non-null `usage` in a stream that did not ask for usage");
      const unasked = await probes.streams((name) => !asksForUsage(name, probes.dialect));
      for (const stream of unasked) {
        for (const chunk of usageChunks(stream)) {
          findings.add(`${at(chunk.event, stream.label)} carries usage ${shown(chunk.value.usage)}`);
        }
      }
      return findings.verdict();
    },
  },
  {
    id: "usage.placement",
    severity: "recommended",
    impact: advice(
      "core's accumulator keeps the last usage from any chunk, so every SDK here reads it wherever it comes; clients written to one provider's placement look only there",
    ),
    needs: "at least one chunk of the usage stream",
    rationale:
      "Clients written to a provider read streamed usage where it puts it (dialects.json `usage_placement`); usage elsewhere is missed by them.",
    async run(probes) {
      const placement = dialects[probes.dialect].stream.usage_placement;
      if (placement === "none") {
        return skip(`${probes.dialect} streams carry no usage (dialects.json usage_placement "none")`);
      }
      const stream = needChunks(await probes.stream("usageStream"));
      const carriers = usageChunks(stream);
      const carrier = carriers[0];
      if (carrier === undefined) return fail(`usage in ${stream.label}`, "no chunk carried a usage object");
      if (carriers.length > 1) {
        return fail(
          "usage on exactly one chunk",
          `usage on ${carriers.length} chunks (events ${carriers.map((chunk) => chunk.event).join(", ")})`,
        );
      }
      if (placement === "separate_final_chunk") {
        const last = stream.chunks.at(-1);
        const choices = carrier.value.choices;
        if (carrier !== last || !Array.isArray(choices) || choices.length > 0) {
          return fail(
            "usage on a final chunk of its own, with `choices: []`, after every choice has finished",
            `usage at ${at(carrier.event, stream.label)} of ${stream.chunks.length} chunks, with ${shown(choices)} choices`,
          );
        }
        return pass();
      }
      // last_content_chunk: on the last chunk that finishes a choice.
      const finishing = stream.chunks.filter((chunk) =>
        choicesOf(chunk.value).some((choice) => choice.finish_reason != null),
      );
      const lastFinishing = finishing.at(-1);
      if (carrier !== lastFinishing) {
        return fail(
          "usage on the last chunk that carries a finish_reason, with no usage-only chunk after it",
          `usage at ${at(carrier.event, stream.label)}; the last finish_reason is at ${lastFinishing ? `event ${lastFinishing.event}` : "no event"}`,
        );
      }
      return pass();
    },
  },
  {
    id: "usage.total-is-sum",
    severity: "required",
    impact: specRule('Usage.total_tokens: "prompt and generated tokens together"'),
    needs: "the plain reply as JSON (usage is optional: none at all is a skip)",
    rationale: "Billing and context budgeting read `total_tokens`; it must be `prompt_tokens + completion_tokens`.",
    async run(probes) {
      const findings = new Findings("`total_tokens` = `prompt_tokens` + `completion_tokens` in every usage");
      const seen: { where: string; usage: unknown }[] = [];
      const asked = await probes.streams(
        (name) => asksForUsage(name, probes.dialect),
        () => {},
      );
      for (const stream of asked) {
        for (const chunk of usageChunks(stream))
          seen.push({ where: at(chunk.event, stream.label), usage: chunk.value.usage });
      }
      for (const reply of await probes.responses()) {
        if (reply.body.usage != null) seen.push({ where: reply.label, usage: reply.body.usage });
      }
      for (const { where, usage } of seen) {
        const count = counts(usage);
        if (count && count.total !== count.prompt + count.completion) {
          findings.add(`${where} has ${count.prompt} + ${count.completion} but total ${count.total}`);
        }
      }
      if (seen.length === 0) return skip("no usage came back to add up (usage is optional in the spec)");
      return findings.verdict();
    },
  },
  {
    id: "usage.matches-logprobs",
    severity: "recommended",
    impact: advice("no SDK loses data; clients that budget by logprob entries expect one per counted token"),
    needs: "usage on the logprobs stream",
    rationale:
      "With logprobs on there is one entry per generated token, so `completion_tokens` should equal their count; recommended because some backends count tokens a stop string removed.",
    async run(probes) {
      if (dialects[probes.dialect].stream.choice_logprobs !== "object") {
        return skip(`${probes.dialect} chunks carry one numeric logprob each, not one entry per token (dialects.json)`);
      }
      const stream = needChunks(await probes.stream("logprobsStream"));
      const usage = usageChunks(stream).at(-1)?.value.usage;
      const count = counts(usage);
      if (!count) return skip(`${stream.label} carried no complete usage to compare (see usage.placement)`);
      let entries = 0;
      for (const parts of partsByChoice(stream).values()) {
        for (const part of parts) {
          const logprobs = part.choice.logprobs as JsonObject | null | undefined;
          if (isObject(logprobs) && Array.isArray(logprobs.content)) entries += logprobs.content.length;
        }
      }
      if (entries === count.completion) return pass();
      return fail(
        `completion_tokens equal to the ${entries} logprob entries of ${stream.label}`,
        `completion_tokens ${count.completion}`,
      );
    },
  },
];
