import { dialects } from "@chatwire/core";
import { isObject, type JsonObject } from "../../json.js";
import { advice, type Check, specRule } from "../check.js";
import { at, shown } from "../describe.js";
import { needChoices, needSome } from "../evidence.js";
import { TOP_LOGPROBS } from "../probe-requests.js";
import type { Probes } from "../probes.js";
import { type ChoicePart, contentOf, type StreamRead } from "../stream-read.js";
import { Findings, skip, type Verdict } from "../verdict.js";

/** Whether the dialect's chunks carry one number per chunk (dialects.json `stream.choice_logprobs: "sum"`). */
const numericPerChunk = (probes: Probes) => dialects[probes.dialect].stream.choice_logprobs === "sum";

const NUMERIC_NOTE =
  "the dialect's chunks carry one numeric logprob each, not per-token entries (see logprobs.numeric-per-chunk)";

/** The per-token entries of a choice part (`logprobs.content`), or undefined when it has none. */
function entriesOf(part: ChoicePart): unknown[] | undefined {
  const logprobs = part.choice.logprobs;
  return isObject(logprobs) && Array.isArray(logprobs.content) ? logprobs.content : undefined;
}

/**
 * Runs `inspect` over every part of the logprobs stream, for the object-shaped dialects. With
 * `entries`, the stream must carry at least one logprob entry to judge (logprobs.present judges
 * their absence).
 */
async function overLogprobParts(
  probes: Probes,
  expected: string,
  inspect: (part: ChoicePart, index: number, stream: StreamRead, findings: Findings) => void,
  options: { entries: boolean },
): Promise<Verdict> {
  if (numericPerChunk(probes)) return skip(NUMERIC_NOTE);
  const stream = await probes.stream("logprobsStream");
  const byChoice = needChoices(stream);
  if (options.entries) needEntries(stream, byChoice);
  const findings = new Findings(expected);
  for (const [index, parts] of byChoice) for (const part of parts) inspect(part, index, stream, findings);
  return findings.verdict();
}

const PER_TOKEN_RULE = "ChunkChoice.logprobs: the entries (TokenLogprob) of the tokens in this chunk";

/** NoEvidence unless some part of the stream carries a logprob entry (logprobs.present judges their absence). */
function needEntries(stream: StreamRead, byChoice: Map<number, ChoicePart[]>): void {
  const count = [...byChoice.values()].flat().reduce((sum, part) => sum + (entriesOf(part)?.length ?? 0), 0);
  needSome(count, `a logprob entry in ${stream.label}`, "no chunk carried one (see logprobs.present)");
}

function isLogprob(value: unknown): boolean {
  return typeof value === "number" && Number.isFinite(value) && value <= 0;
}

/** Log probabilities with `logprobs: true, top_logprobs: 2`. */
export const logprobChecks: Check[] = [
  {
    id: "logprobs.present",
    severity: "required",
    impact: specRule(PER_TOKEN_RULE),
    needs: "a choice that adds content in the logprobs stream",
    rationale: "Asked for logprobs, every chunk that adds text must carry the entries of the tokens it adds.",
    run: (probes) =>
      overLogprobParts(
        probes,
        "`logprobs.content` entries on every chunk that adds content",
        (part, index, stream, findings) => {
          const text = typeof part.delta.content === "string" ? part.delta.content : "";
          const entries = entriesOf(part);
          if (text !== "" && (!entries || entries.length === 0)) {
            findings.add(
              `choice ${index} adds ${shown(text)} at ${at(part.event, stream.label)} with logprobs ${shown(part.choice.logprobs)}`,
            );
          }
        },
        { entries: false },
      ),
  },
  {
    id: "logprobs.non-positive",
    severity: "required",
    impact: specRule("TokenLogprob.logprob: a log probability, so a finite number <= 0"),
    needs: "a logprob entry in the logprobs stream",
    rationale: "A log probability is at most 0; clients exponentiate it into a probability.",
    run: (probes) =>
      overLogprobParts(
        probes,
        "every `logprob` (and every top_logprobs `logprob`) a finite number <= 0",
        (part, index, stream, findings) => {
          for (const entry of entriesOf(part) ?? []) {
            if (!isObject(entry)) continue;
            const alternatives = Array.isArray(entry.top_logprobs) ? entry.top_logprobs.filter(isObject) : [];
            for (const value of [entry.logprob, ...alternatives.map((alternative) => alternative.logprob)]) {
              if (!isLogprob(value)) {
                findings.add(
                  `choice ${index} has logprob ${shown(value)} for token ${shown(entry.token)} at ${at(part.event, stream.label)}`,
                );
              }
            }
          }
        },
        { entries: true },
      ),
  },
  {
    id: "logprobs.top-count",
    severity: "required",
    impact: specRule('TokenLogprob.top_logprobs: "as many as `top_logprobs` asked for"'),
    needs: "a logprob entry in the logprobs stream",
    rationale: `Clients show the alternatives they asked for; \`top_logprobs: ${TOP_LOGPROBS}\` means ${TOP_LOGPROBS} per token.`,
    run: (probes) =>
      overLogprobParts(
        probes,
        `${TOP_LOGPROBS} top_logprobs per token entry`,
        (part, index, stream, findings) => {
          for (const entry of entriesOf(part) ?? []) {
            const count = isObject(entry) && Array.isArray(entry.top_logprobs) ? entry.top_logprobs.length : undefined;
            if (count !== TOP_LOGPROBS) {
              findings.add(`choice ${index} has ${count ?? "no"} top_logprobs at ${at(part.event, stream.label)}`);
            }
          }
        },
        { entries: true },
      ),
  },
  {
    id: "logprobs.tokens-join-text",
    severity: "recommended",
    impact: advice("no SDK loses data; clients that map logprobs onto the text need the tokens to spell it"),
    needs: "a logprob entry in the logprobs stream",
    rationale:
      "Clients map each token's logprob onto the text, so the tokens (or their bytes) should spell the content; recommended because a token may be part of a character.",
    async run(probes) {
      if (numericPerChunk(probes)) return skip(NUMERIC_NOTE);
      const stream = await probes.stream("logprobsStream");
      const byChoice = needChoices(stream);
      needEntries(stream, byChoice);
      const findings = new Findings(
        "the entries' tokens (or their bytes, decoded) joined to equal each choice's content",
      );
      for (const [index, parts] of byChoice) {
        const text = contentOf(parts);
        const entries = parts.flatMap((part) => entriesOf(part) ?? []).filter(isObject) as JsonObject[];
        const tokens = entries.map((entry) => (typeof entry.token === "string" ? entry.token : "")).join("");
        if (tokens === text) continue;
        const bytes = entries.flatMap((entry) => (Array.isArray(entry.bytes) ? (entry.bytes as number[]) : []));
        if (new TextDecoder().decode(new Uint8Array(bytes)) === text) continue;
        findings.add(`choice ${index} of ${stream.label} reads ${shown(text)} but its tokens join to ${shown(tokens)}`);
      }
      return findings.verdict();
    },
  },
  {
    id: "logprobs.numeric-per-chunk",
    severity: "required",
    impact: specRule('PredictionGuardChunkChoice.logprobs: "the sampled token\'s log probability as a number"'),
    needs: "a choice in the plain stream",
    rationale:
      'Where chunks carry one number each (dialects.json `choice_logprobs: "sum"`), clients read it as the log probability of the chunk\'s token.',
    async run(probes) {
      if (!numericPerChunk(probes)) {
        return skip(`${probes.dialect} chunks carry per-token logprob entries (see the other logprobs checks)`);
      }
      const findings = new Findings("a numeric `logprobs` <= 0 on every chunk that adds content");
      for (const stream of await probes.streams((name) => name === "logprobsStream", needChoices)) {
        for (const [index, parts] of needChoices(stream)) {
          for (const part of parts) {
            const value = part.choice.logprobs;
            const addsText = typeof part.delta.content === "string" && part.delta.content !== "";
            if (addsText ? !isLogprob(value) : value != null && !isLogprob(value)) {
              findings.add(`choice ${index} has logprobs ${shown(value)} at ${at(part.event, stream.label)}`);
            }
          }
        }
      }
      return findings.verdict();
    },
  },
];
