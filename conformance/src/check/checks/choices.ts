import { advice, type Check, specRule } from "../check.js";
import { at, shown } from "../describe.js";
import { needChoices, needSome } from "../evidence.js";
import type { StreamRead } from "../stream-read.js";
import { finishesOf, partsByChoice } from "../stream-read.js";
import { Findings } from "../verdict.js";

const FINISH_REASONS = ["stop", "length", "tool_calls", "content_filter", "function_call"];

/** Whether a delta adds anything to the message. */
function addsToMessage(delta: Record<string, unknown>): boolean {
  const text = (field: string) => typeof delta[field] === "string" && delta[field] !== "";
  const calls = Array.isArray(delta.tool_calls) && delta.tool_calls.length > 0;
  return text("content") || text("refusal") || text("reasoning_content") || calls;
}

/** The finish reasons of every choice of every stream, with where; NoEvidence when there are none. */
function allFinishes(
  streams: readonly StreamRead[],
): { stream: StreamRead; index: number; event: number; reason: unknown }[] {
  const finishes = streams.flatMap((stream) =>
    [...partsByChoice(stream)].flatMap(([index, parts]) =>
      finishesOf(parts).map((finish) => ({ stream, index, ...finish })),
    ),
  );
  needSome(
    finishes.length,
    "a choice with a non-null finish_reason",
    "no choice of any stream finished (see finish.exactly-once)",
  );
  return finishes;
}

/** How each choice of a stream starts and ends, on every stream the probes received. */
export const choiceChecks: Check[] = [
  {
    id: "delta.role-first-only",
    severity: "recommended",
    impact: advice(
      'the spec says a delta carries `role` "usually only on the first chunk"; core\'s accumulator keeps the last role and defaults to assistant, so nothing is lost here, but clients that start a message at each role split the reply',
    ),
    rationale: "Accumulators take the author from the first delta; a role repeated later is read as a new message.",
    needs: "a choice in the plain stream",
    async run(probes) {
      const findings = new Findings('`"role": "assistant"` in the first delta of each choice, and in no later one');
      for (const stream of await probes.streams(undefined, needChoices)) {
        for (const [index, parts] of partsByChoice(stream)) {
          const [first, ...rest] = parts;
          if (first && first.delta.role !== "assistant") {
            findings.add(
              `choice ${index} starts at ${at(first.event, stream.label)} with role ${shown(first.delta.role)}`,
            );
          }
          for (const part of rest) {
            if (part.delta.role !== undefined) {
              findings.add(`choice ${index} repeats role ${shown(part.delta.role)} at ${at(part.event, stream.label)}`);
            }
          }
        }
      }
      return findings.verdict();
    },
  },
  {
    id: "finish.exactly-once",
    severity: "required",
    impact: specRule('ChunkChoice.finish_reason: "null until the choice\'s last chunk"'),
    rationale: "A client ends a choice at its one non-null `finish_reason`; none leaves it open, two end it twice.",
    needs: "a choice in the plain stream",
    async run(probes) {
      const findings = new Findings("exactly one non-null `finish_reason` per choice");
      for (const stream of await probes.streams(undefined, needChoices)) {
        for (const [index, parts] of partsByChoice(stream)) {
          const finishes = finishesOf(parts);
          if (finishes.length === 1) continue;
          const where = finishes.map((finish) => `event ${finish.event}`).join(", ");
          findings.add(
            finishes.length === 0
              ? `choice ${index} of ${stream.label} never got a finish_reason`
              : `choice ${index} of ${stream.label} got ${finishes.length} finish_reasons (${where})`,
          );
        }
      }
      return findings.verdict();
    },
  },
  {
    id: "finish.allowed-value",
    severity: "required",
    impact: specRule(`FinishReason: one of ${FINISH_REASONS.join(", ")}`),
    rationale:
      "Clients branch on the finish reason (length means truncated, tool_calls means run the tools); unknown values fall through.",
    needs: "a non-null finish_reason in some stream",
    async run(probes) {
      const findings = new Findings(`finish_reason null or one of ${FINISH_REASONS.join(", ")}`);
      for (const { stream, index, event, reason } of allFinishes(await probes.streams(undefined, needChoices))) {
        if (!FINISH_REASONS.includes(reason as string)) {
          findings.add(`choice ${index} has finish_reason ${shown(reason)} at ${at(event, stream.label)}`);
        }
      }
      return findings.verdict();
    },
  },
  {
    id: "finish.nothing-after",
    severity: "required",
    impact: specRule("ChunkChoice.finish_reason: set on the choice's last chunk, so nothing for the choice follows it"),
    rationale:
      "A client considers a choice complete at its finish_reason; text sent after it is dropped or misattributed.",
    needs: "a non-null finish_reason in some stream",
    async run(probes) {
      const findings = new Findings("no content, refusal or tool call for a choice after its finish_reason");
      const streams = await probes.streams(undefined, needChoices);
      allFinishes(streams);
      for (const stream of streams) {
        for (const [index, parts] of partsByChoice(stream)) {
          const finishedAt = parts.findIndex((part) => part.choice.finish_reason != null);
          if (finishedAt === -1) continue;
          for (const part of parts.slice(finishedAt + 1)) {
            if (addsToMessage(part.delta)) {
              findings.add(
                `choice ${index} gets ${shown(part.delta)} at ${at(part.event, stream.label)} after finishing`,
              );
            }
          }
        }
      }
      return findings.verdict();
    },
  },
];
