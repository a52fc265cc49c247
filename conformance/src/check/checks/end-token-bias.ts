import { isObject } from "../../json.js";
import { type Check, specRule } from "../check.js";
import { shown } from "../describe.js";
import { messageContent } from "../probes.js";
import { extraProbes } from "../probes-extra.js";
import { fail, pass, skip } from "../verdict.js";

/** `logit_bias` applies to every token id, the end-of-turn token included. */
export const endTokenBiasCheck: Check = {
  id: "logit-bias.end-token",
  severity: "required",
  impact: specRule(
    "`logit_bias` in spec/chat-completions.schema.json maps token ids to a bias, with no exception for the end token",
  ),
  needs: "token ids from the backend's `/tokenize`, and a successful reply to the biased request",
  rationale:
    "`logit_bias` maps any token id to a bias; a backend that skips the end-of-turn token breaks callers that use it to end replies early or to make them run long.",
  async run(probes) {
    const extra = extraProbes(probes);
    const end = await extra.endToken();
    if (typeof end === "string") return skip(end);
    const reply = await extra.endBiasResponse(end);
    const choices = Array.isArray(reply.body.choices) ? reply.body.choices.filter(isObject) : [];
    const finish = choices.find((choice) => choice.index === 0)?.finish_reason;
    const content = messageContent(reply.body, 0) ?? "";
    if (content === "" && finish === "stop") return pass();
    return fail(
      `an empty reply with finish_reason "stop" when \`${end.marker}\` (token ${end.id}) has bias +100`,
      `content ${shown(content)}, finish_reason ${shown(finish)}`,
    );
  },
};
