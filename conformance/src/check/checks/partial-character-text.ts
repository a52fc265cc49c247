import type { Check } from "../check.js";
import { shown } from "../describe.js";
import { messageContent } from "../probes.js";
import { extraProbes } from "../probes-extra.js";
import { contentOf, partsByChoice } from "../stream-read.js";
import { fail, pass, skip } from "../verdict.js";

/** A reply that ends inside a multi-byte character, streamed and not. */
export const partialCharacterTextCheck: Check = {
  id: "utf8.partial-character",
  severity: "required",
  impact: {
    kind: "data-loss",
    detail: "the SDKs hand out the streamed text; a stream without the reply's U+FFFD loses that part of the reply",
  },
  needs: "token ids from `/tokenize`, a successful reply and a successful stream of the one-token request",
  rationale:
    "A reply cut by max_tokens inside a character must stream the same text the non-streamed reply has; a stream that drops the piece loses text the client was billed for.",
  async run(probes) {
    const extra = extraProbes(probes);
    const facts = await extra.tokenFacts();
    if (!facts.known) return skip(facts.reason);
    if (!facts.leadByte) return skip(`the tokenizer at ${facts.url} has every character tried as whole tokens`);
    const reply = await extra.partialCharacterResponse(facts.leadByte);
    const stream = await extra.partialCharacterStream(facts.leadByte);
    const whole = messageContent(reply.body, 0) ?? "";
    const streamed = contentOf(partsByChoice(stream).get(0) ?? []);
    if (whole === streamed) return pass();
    return fail(
      `${stream.label} (token ${facts.leadByte.id}, the first byte of ${shown(facts.leadByte.of)}) to carry ${reply.label}'s text ${shown(whole)}`,
      `${shown(streamed)}`,
    );
  },
};
