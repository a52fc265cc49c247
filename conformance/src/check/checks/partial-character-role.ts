import { advice, type Check } from "../check.js";
import { at } from "../describe.js";
import { extraProbes } from "../probes-extra.js";
import { partsByChoice } from "../stream-read.js";
import { fail, pass, skip } from "../verdict.js";

/** The role delta, when the first chunk is also the last. */
export const partialCharacterRoleCheck: Check = {
  id: "delta.role-when-first-finishes",
  severity: "recommended",
  impact: advice(
    "nothing is lost in chatwire's SDKs (their accumulator falls back to the assistant role), but a client that takes the author from the first delta has none",
  ),
  needs: "token ids from `/tokenize`, and at least one chunk for choice 0 in the one-token stream",
  rationale:
    "Accumulators take the author from a choice's first delta; a one-token reply cut inside a character still needs `role` before, or with, its finish.",
  async run(probes) {
    const extra = extraProbes(probes);
    const lead = await extra.leadByte();
    if (typeof lead === "string") return skip(lead);
    const stream = await extra.partialCharacterStream(lead);
    const parts = partsByChoice(stream).get(0) ?? [];
    const expected = `\`"role": "assistant"\` in the first delta of choice 0 in ${stream.label}`;
    const first = parts[0];
    if (!first)
      return fail(expected, `no chunk for choice 0 (${stream.chunks.length} chunks, ${stream.events.length} events)`);
    if (first.delta.role === "assistant") return pass();
    return fail(expected, `the first delta, at ${at(first.event, stream.label)}, has no role`);
  },
};
