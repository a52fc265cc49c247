import type { Check } from "../check.js";
import { at, shown } from "../describe.js";
import { finishesOf, partsByChoice } from "../stream-read.js";
import { Findings } from "../verdict.js";

const FINISH_REASONS = ["stop", "length", "tool_calls", "content_filter", "function_call"];

/** Whether a delta adds anything to the message. */
function addsToMessage(delta: Record<string, unknown>): boolean {
  const text = (field: string) => typeof delta[field] === "string" && delta[field] !== "";
  const calls = Array.isArray(delta.tool_calls) && delta.tool_calls.length > 0;
  return text("content") || text("refusal") || text("reasoning_content") || calls;
}

/** How each choice of a stream starts and ends, on every stream the probes received. */
export const choiceChecks: Check[] = [
  {
    id: "delta.role-first-only",
    severity: "required",
    rationale: "Accumulators take the author from the first delta; a role repeated later is read as a new message.",
    async run(probes) {
      const findings = new Findings('`"role": "assistant"` in the first delta of each choice, and in no later one');
      for (const stream of await probes.streams()) {
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
    rationale: "A client ends a choice at its one non-null `finish_reason`; none leaves it open, two end it twice.",
    async run(probes) {
      const findings = new Findings("exactly one non-null `finish_reason` per choice");
      for (const stream of await probes.streams()) {
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
    rationale:
      "Clients branch on the finish reason (length means truncated, tool_calls means run the tools); unknown values fall through.",
    async run(probes) {
      const findings = new Findings(`finish_reason null or one of ${FINISH_REASONS.join(", ")}`);
      for (const stream of await probes.streams()) {
        for (const [index, parts] of partsByChoice(stream)) {
          for (const finish of finishesOf(parts)) {
            if (!FINISH_REASONS.includes(finish.reason as string)) {
              findings.add(
                `choice ${index} has finish_reason ${shown(finish.reason)} at ${at(finish.event, stream.label)}`,
              );
            }
          }
        }
      }
      return findings.verdict();
    },
  },
  {
    id: "finish.nothing-after",
    severity: "required",
    rationale:
      "A client considers a choice complete at its finish_reason; text sent after it is dropped or misattributed.",
    async run(probes) {
      const findings = new Findings("no content, refusal or tool call for a choice after its finish_reason");
      for (const stream of await probes.streams()) {
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
