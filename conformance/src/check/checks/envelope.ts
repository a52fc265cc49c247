import { isObject } from "../../json.js";
import { type Check, specRule } from "../check.js";
import { at, shown } from "../describe.js";
import { usageChunks } from "../stream-read.js";
import { Findings } from "../verdict.js";

/** The fields every chunk carries around its choices, on every stream the probes received. */
export const envelopeChecks: Check[] = [
  {
    id: "envelope.same-id",
    severity: "required",
    impact: specRule('ChatCompletionChunk.id: a string, "the same in every chunk"'),
    needs: "at least one chunk of the plain stream",
    rationale: "Clients key a completion by its id; an id that changes mid-stream splits one reply into two.",
    async run(probes) {
      const findings = new Findings("one non-empty string `id`, the same on every chunk of a stream");
      for (const stream of await probes.streams()) {
        const first = stream.chunks[0]?.value.id;
        for (const chunk of stream.chunks) {
          const id = chunk.value.id;
          if (typeof id !== "string" || id === "") findings.add(`${at(chunk.event, stream.label)} has id ${shown(id)}`);
          else if (id !== first)
            findings.add(`${at(chunk.event, stream.label)} has id ${shown(id)}, the first had ${shown(first)}`);
        }
      }
      return findings.verdict();
    },
  },
  {
    id: "envelope.object",
    severity: "required",
    impact: specRule('ChatCompletionChunk.object: const "chat.completion.chunk"'),
    needs: "at least one chunk of the plain stream",
    rationale: "`object` tells a chunk from a whole completion; typed clients dispatch on it.",
    async run(probes) {
      const findings = new Findings('`"object": "chat.completion.chunk"` on every chunk');
      for (const stream of await probes.streams()) {
        for (const chunk of stream.chunks) {
          if (chunk.value.object !== "chat.completion.chunk") {
            findings.add(`${at(chunk.event, stream.label)} has object ${shown(chunk.value.object)}`);
          }
        }
      }
      return findings.verdict();
    },
  },
  {
    id: "envelope.created",
    severity: "required",
    impact: specRule("ChatCompletionChunk.created: an integer, Unix seconds"),
    needs: "at least one chunk of the plain stream",
    rationale: "`created` is Unix seconds as an integer; clients that type it as an integer reject anything else.",
    async run(probes) {
      const findings = new Findings("an integer `created` (Unix seconds, >= 0) on every chunk");
      for (const stream of await probes.streams()) {
        for (const chunk of stream.chunks) {
          const created = chunk.value.created;
          if (!Number.isInteger(created) || (created as number) < 0) {
            findings.add(`${at(chunk.event, stream.label)} has created ${shown(created)}`);
          }
        }
      }
      return findings.verdict();
    },
  },
  {
    id: "envelope.model",
    severity: "required",
    impact: specRule("ChatCompletionChunk.model: a string, required"),
    needs: "at least one chunk of the plain stream",
    rationale: "Clients report which model answered from `model`; it must be a string on every chunk.",
    async run(probes) {
      const findings = new Findings("a string `model` on every chunk");
      for (const stream of await probes.streams()) {
        for (const chunk of stream.chunks) {
          if (typeof chunk.value.model !== "string") {
            findings.add(`${at(chunk.event, stream.label)} has model ${shown(chunk.value.model)}`);
          }
        }
      }
      return findings.verdict();
    },
  },
  {
    id: "envelope.choices",
    severity: "required",
    impact: specRule(
      "ChatCompletionChunk.choices and ChunkChoice: an array of choices, each with an integer `index` and a `delta`",
    ),
    needs: "at least one chunk of the plain stream",
    rationale:
      "Clients merge deltas by choice `index`; a choice without an integer index or an object delta cannot be merged.",
    async run(probes) {
      const findings = new Findings(
        "a `choices` array on every chunk, each choice with an integer `index` and an object `delta`; empty only on a usage chunk",
      );
      for (const stream of await probes.streams()) {
        const withUsage = new Set(usageChunks(stream));
        for (const chunk of stream.chunks) {
          const where = at(chunk.event, stream.label);
          const choices = chunk.value.choices;
          if (!Array.isArray(choices)) {
            findings.add(`${where} has choices ${shown(choices)}`);
            continue;
          }
          if (choices.length === 0 && !withUsage.has(chunk)) findings.add(`${where} has no choices and no usage`);
          choices.forEach((choice: unknown, position) => {
            if (!isObject(choice)) findings.add(`${where} has choices[${position}] = ${shown(choice)}`);
            else if (!Number.isInteger(choice.index) || (choice.index as number) < 0) {
              findings.add(`${where} has choices[${position}].index = ${shown(choice.index)}`);
            } else if (!isObject(choice.delta)) {
              findings.add(`${where} has choices[${position}].delta = ${shown(choice.delta)}`);
            }
          });
        }
      }
      return findings.verdict();
    },
  },
];
