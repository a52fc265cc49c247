import { dialects } from "@chatwire/core";
import { isObject, type JsonObject } from "../../json.js";
import { type Check, specRule } from "../check.js";
import { shown } from "../describe.js";
import { needChunks } from "../evidence.js";
import { extraProbes } from "../probes-extra.js";
import { Findings, skip, type Verdict } from "../verdict.js";

/** A token id as the keys of a prompt logprob entry write it: a decimal string. */
const TOKEN_ID = /^(0|[1-9][0-9]*)$/;

const EXPECTED =
  "`prompt_logprobs` on the reply and on the stream's first chunk: one entry per prompt token (`usage.prompt_tokens`), the first null, every other mapping token ids to `{logprob <= 0, rank >= 1, decoded_token}`";

/** `usage.prompt_tokens` of a reply or chunk, if it carries one. */
function promptTokens(body: JsonObject | undefined): number | undefined {
  const usage = isObject(body?.usage) ? body.usage : undefined;
  return Number.isInteger(usage?.prompt_tokens) ? (usage?.prompt_tokens as number) : undefined;
}

/** What is wrong with one token's `{logprob, rank, decoded_token}`, or undefined. */
function tokenProblem(value: unknown): string | undefined {
  if (!isObject(value)) return `${shown(value)} in place of {logprob, rank, decoded_token}`;
  // -9999 is how the spec writes a probability of 0; like any other finite number <= 0 it passes.
  if (typeof value.logprob !== "number" || !Number.isFinite(value.logprob) || value.logprob > 0) {
    return `logprob ${shown(value.logprob)}`;
  }
  if (!Number.isInteger(value.rank) || (value.rank as number) < 1) return `rank ${shown(value.rank)}`;
  if (typeof value.decoded_token !== "string") return `decoded_token ${shown(value.decoded_token)}`;
  return undefined;
}

/** What is wrong with the entry at prompt position `position` (0-based), or undefined. */
function entryProblem(entry: unknown, position: number): string | undefined {
  if (position === 0) return entry === null ? undefined : `the first entry is ${shown(entry)}, not null`;
  if (!isObject(entry) || Object.keys(entry).length === 0) return `entry ${position} is ${shown(entry)}`;
  for (const [id, value] of Object.entries(entry)) {
    if (!TOKEN_ID.test(id)) return `entry ${position} is keyed ${shown(id)}, not a token id`;
    const problem = tokenProblem(value);
    if (problem) return `entry ${position}, token ${id}: ${problem}`;
  }
  return undefined;
}

/**
 * Adds what is wrong with `body.prompt_logprobs` to `findings`: `where` names the reply or chunk,
 * `count` is the number of prompt tokens the backend counted (undefined when it sent no usage).
 */
function judgePromptLogprobs(body: JsonObject, where: string, count: number | undefined, findings: Findings): void {
  const entries = body.prompt_logprobs;
  if (entries === undefined) {
    findings.add(`${where} has no \`prompt_logprobs\` (its fields: ${Object.keys(body).join(", ")})`);
    return;
  }
  if (!Array.isArray(entries)) {
    findings.add(`${where} has \`prompt_logprobs\` ${shown(entries)}, not a list`);
    return;
  }
  if (count !== undefined && entries.length !== count) {
    findings.add(`${where} has ${entries.length} \`prompt_logprobs\` entries for \`usage.prompt_tokens\` ${count}`);
  }
  entries.forEach((entry, position) => {
    const problem = entryProblem(entry, position);
    if (problem) findings.add(`${where}: ${problem}`);
  });
}

/** OctoAI's `loglikelihood: true`: the log probability of every prompt token. */
export const loglikelihoodCheck: Check = {
  id: "loglikelihood.prompt-logprobs",
  severity: "required",
  impact: specRule(
    "OctoAIChatCompletionRequest.loglikelihood: the log probabilities of the prompt tokens, as the response's `prompt_logprobs`; PromptLogprobs: one entry per prompt token (`usage.prompt_tokens`), the first null, each other a token id's PromptTokenLogprob (logprob <= 0, rank >= 1)",
  ),
  needs: "a successful reply and a successful stream (at least one chunk) of the `loglikelihood: true` request",
  rationale:
    "Callers that score a prompt (perplexity, ranking candidates) read one log probability per prompt token; a backend that ignores `loglikelihood` leaves them nothing to read.",
  async run(probes): Promise<Verdict> {
    if (!dialects[probes.dialect].prompt_logprobs) {
      return skip(`${probes.dialect} returns no prompt logprobs (dialects.json \`prompt_logprobs\` is false)`);
    }
    const extra = extraProbes(probes);
    const reply = await extra.loglikelihoodResponse();
    const stream = needChunks(await extra.loglikelihoodStream());
    const findings = new Findings(EXPECTED);
    const replyCount = promptTokens(reply.body);
    judgePromptLogprobs(reply.body, reply.label, replyCount, findings);
    // The stream counts the prompt where it carries usage; the same prompt unstreamed counts it otherwise.
    const streamUsage = stream.chunks
      .map((chunk) => promptTokens(chunk.value))
      .findLast((count) => count !== undefined);
    const [first] = stream.chunks;
    judgePromptLogprobs(first?.value ?? {}, `the first chunk of ${stream.label}`, streamUsage ?? replyCount, findings);
    const uncounted = replyCount === undefined && streamUsage === undefined;
    return findings.verdict(uncounted ? "no `usage.prompt_tokens` came, so the entries were not counted" : undefined);
  },
};
