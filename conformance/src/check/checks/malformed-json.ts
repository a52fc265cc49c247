import { type Check, specRule } from "../check.js";
import { excerpt } from "../exchange.js";
import { extraProbes } from "../probes-extra.js";
import { fail, pass } from "../verdict.js";

/** A body that is not JSON at all. */
export const malformedJsonCheck: Check = {
  id: "errors.malformed-json",
  severity: "required",
  impact: specRule(
    "HTTP semantics (RFC 9110 §15.5): a request the server cannot parse is a 4xx client error; chatwire's SDKs retry every 5xx",
  ),
  needs: "an answer of any status to the body that is not JSON",
  rationale:
    "A body that does not parse is the caller's mistake: a 4xx says so, while a 5xx makes SDKs retry a request that can never succeed.",
  async run(probes) {
    const answer = await extraProbes(probes).malformedJson();
    if (answer.status >= 400 && answer.status < 500) return pass();
    return fail(
      "a 4xx answer (400 for a body that is not JSON) to half a JSON object",
      `HTTP ${answer.status}: ${excerpt(answer.text)}`,
    );
  },
};
