import { type Check, dataLoss } from "../check.js";
import { shown } from "../describe.js";
import { messageContent } from "../probes.js";
import { extraProbes } from "../probes-extra.js";
import { contentOf, partsByChoice } from "../stream-read.js";
import { fail, pass, skip } from "../verdict.js";

/** A reply that ends inside a multi-byte character, streamed and not. */
export const partialCharacterTextCheck: Check = {
  id: "utf8.partial-character",
  severity: "required",
  impact: dataLoss(
    "the SDKs hand out the streamed text; a stream without the reply's U+FFFD loses that part of the reply",
  ),
  needs: "token ids from `/tokenize`, a successful reply and a successful stream of the one-token request",
  rationale:
    "A reply cut by max_tokens inside a character must stream the same text the non-streamed reply has; a stream that drops the piece loses text the client was billed for.",
  async run(probes) {
    const extra = extraProbes(probes);
    const lead = await extra.leadByte();
    if (typeof lead === "string") return skip(lead);
    const reply = await extra.partialCharacterResponse(lead);
    const stream = await extra.partialCharacterStream(lead);
    const whole = messageContent(reply.body, 0) ?? "";
    const streamed = contentOf(partsByChoice(stream).get(0) ?? []);
    if (whole === streamed) return pass();
    return fail(
      `${stream.label} (token ${lead.id}, the first byte of ${shown(lead.of)}) to carry ${reply.label}'s text ${shown(whole)}`,
      `${shown(streamed)}`,
    );
  },
};
