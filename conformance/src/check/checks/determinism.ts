import { isObject } from "../../json.js";
import { advice, type Check } from "../check.js";
import { shown } from "../describe.js";
import { needChoices } from "../evidence.js";
import { SEED } from "../probe-requests.js";
import { messageContent } from "../probes.js";
import { contentOf, finishesOf } from "../stream-read.js";
import { fail, pass } from "../verdict.js";

/** The same request streamed and not streamed. */
export const determinismChecks: Check[] = [
  {
    id: "stream.matches-non-stream",
    severity: "recommended",
    impact: advice(
      "no SDK loses data; a client that retries a stream as a plain call, or caches one for the other, expects the same reply",
    ),
    needs: "a choice in the plain stream and the plain reply as JSON",
    rationale: `At temperature 0 with a seed (${SEED}) a stream should carry the reply a non-streamed call gets; recommended because some backends batch requests non-deterministically.`,
    async run(probes) {
      const stream = await probes.stream("plainStream");
      const reply = await probes.response("plainResponse");
      const parts = needChoices(stream).get(0) ?? [];
      const streamed = { content: contentOf(parts), finish_reason: finishesOf(parts)[0]?.reason ?? null };
      const choices = Array.isArray(reply.body.choices) ? reply.body.choices.filter(isObject) : [];
      const whole = {
        content: messageContent(reply.body, 0) ?? "",
        finish_reason: choices.find((choice) => choice.index === 0)?.finish_reason ?? null,
      };
      if (streamed.content === whole.content && streamed.finish_reason === whole.finish_reason) return pass();
      return fail(
        `${stream.label} to match ${reply.label}: content ${shown(whole.content)}, finish_reason ${shown(whole.finish_reason)}`,
        `content ${shown(streamed.content)}, finish_reason ${shown(streamed.finish_reason)}`,
      );
    },
  },
];
