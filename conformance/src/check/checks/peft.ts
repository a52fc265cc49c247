import { dialects } from "@chatwire/core";
import { advice, type Check } from "../check.js";
import { excerpt } from "../exchange.js";
import { adaptersOf } from "../model-discovery.js";
import { extraProbes, UNKNOWN_ADAPTER } from "../probes-extra.js";
import { notInRequest, requestTakes } from "../request-fields.js";
import { describeProblems, specValidator } from "../schema-validation.js";
import { fail, pass, skip, type Verdict } from "../verdict.js";

/** OctoAI's `peft`: an adapter the backend does not have is refused, as an unknown model is. */
export const unknownAdapterCheck: Check = {
  id: "peft.unknown-adapter",
  severity: "recommended",
  impact: advice(
    "no spec rule gives the status, and no SDK loses data; a caller who named an adapter the backend lacks gets the base model's reply without being told",
  ),
  needs: "a model list that names adapters of the model, and an answer to the request with an unknown `peft`",
  rationale:
    "A client that names a LoRA adapter (`peft`) the backend lacks needs a 4xx it can show, not a reply from the model without it.",
  async run(probes): Promise<Verdict> {
    const { dialect, model } = probes.target;
    if (!requestTakes(dialect, "peft")) return skip(notInRequest(dialect, "peft"));
    const extra = extraProbes(probes);
    const list = await extra.modelList();
    if ("tried" in list) return skip(`no model list answered, so the backend's adapters are unknown (${list.tried})`);
    const adapters = adaptersOf(list, model);
    if (adapters.length === 0) {
      return skip(
        `the model list at ${list.url} names no adapters of ${model} (no entry has \`"parent": "${model}"\`)`,
      );
    }
    const answer = await extra.unknownAdapter();
    const schema = dialects[dialect].schemas.error;
    const expected = `a 4xx, its body matching ${schema}, for \`"peft": "${UNKNOWN_ADAPTER}"\` (the model list names ${adapters.join(", ")})`;
    const got = `HTTP ${answer.status}: ${excerpt(answer.text)}`;
    if (answer.status < 400 || answer.status > 499) return fail(expected, got);
    if (answer.json === undefined) return fail(expected, `${got} (not JSON)`);
    const problems = specValidator(schema)(answer.json);
    return problems.length === 0 ? pass() : fail(expected, `${got}: ${describeProblems(problems)}`);
  },
};
