import { isObject } from "../../json.js";
import { advice, type Check } from "../check.js";
import { excerpt } from "../exchange.js";
import { INVALID_FIELD, UNKNOWN_MODEL } from "../probe-requests.js";
import { optionsRequireStream } from "../probes.js";
import { fail, pass, skip } from "../verdict.js";

function answered(status: number, text: string): string {
  return `HTTP ${status}: ${excerpt(text)}`;
}

/** The texts in an error body that may name a field: `param`, and the message (either error shape). */
function namingTexts(json: unknown, raw: string): string[] {
  if (!isObject(json)) return [raw];
  const error = json.error;
  if (typeof error === "string") return [error];
  if (!isObject(error)) return [raw];
  return [error.param, error.message].filter((text): text is string => typeof text === "string");
}

/** Requests a backend must refuse, and how. The bodies' shape is schema.error-bodies. */
export const errorChecks: Check[] = [
  {
    id: "errors.unknown-model",
    severity: "recommended",
    impact: advice(
      "no spec rule gives the status, and no SDK loses data; a caller who named a model the backend lacks gets another model's reply without being told",
    ),
    needs: "an answer to the request for an unknown model",
    rationale: "A client that names a model the backend lacks needs a 4xx it can show, not a reply from another model.",
    async run(probes) {
      const answer = await probes.errorAnswer("unknownModel");
      if (answer.status >= 400 && answer.status < 500) return pass();
      return fail(`a 4xx answer to \`"model": "${UNKNOWN_MODEL}"\``, answered(answer.status, answer.text));
    },
  },
  {
    id: "errors.invalid-field",
    severity: "recommended",
    impact: advice(
      "no spec rule gives the status, and no SDK loses data; with a 5xx, SDKs retry the caller's mistake, with a 2xx it goes unnoticed",
    ),
    needs: 'an answer to the request with `temperature: "hot"`',
    rationale:
      "A malformed request must be refused with 400 so clients report the caller's mistake instead of retrying.",
    async run(probes) {
      const answer = await probes.errorAnswer("invalidField");
      if (answer.status === 400) return pass();
      return fail(`HTTP 400 for \`"${INVALID_FIELD}": "hot"\``, answered(answer.status, answer.text));
    },
  },
  {
    id: "errors.invalid-field-named",
    severity: "recommended",
    impact: advice("SDKs show the server's message as it is; one that names the field tells the caller what to fix"),
    needs: 'a 4xx answer to the request with `temperature: "hot"` (an accepted request is a skip)',
    rationale:
      "An error must say which field is wrong (in `param` or the message), or the caller cannot fix the request.",
    async run(probes) {
      const answer = await probes.errorAnswer("invalidField");
      if (answer.status < 400)
        return skip(`the request was accepted (HTTP ${answer.status}; see errors.invalid-field)`);
      if (namingTexts(answer.json, answer.text).some((text) => text.includes(INVALID_FIELD))) return pass();
      return fail(
        `the error to name \`${INVALID_FIELD}\` in \`param\` or its message`,
        answered(answer.status, answer.text),
      );
    },
  },
  {
    id: "errors.stream-options-without-stream",
    severity: "recommended",
    impact: advice(
      "dialects.json `options_require_stream` records the provider's 400; no SDK loses data when a backend ignores the options instead",
    ),
    needs: "an answer to the request with `stream_options` but no `stream`",
    rationale:
      "Where the dialect requires `stream: true` with `stream_options`, accepting it silently hides a caller's mistake.",
    async run(probes) {
      if (!optionsRequireStream(probes.dialect)) {
        return skip(
          `${probes.dialect} accepts \`stream_options\` without \`stream\` (dialects.json options_require_stream)`,
        );
      }
      const answer = await probes.errorAnswer("streamOptionsWithoutStream");
      if (answer.status === 400) return pass();
      return fail("HTTP 400 for `stream_options` without `stream: true`", answered(answer.status, answer.text));
    },
  },
  {
    id: "errors.bad-key",
    severity: "recommended",
    impact: advice(
      "no spec rule gives the status, and no SDK loses data; SDKs raise AuthenticationError only for a 401, so callers handle bad credentials apart from other failures",
    ),
    needs: "an API key (--api-key) and an answer to the request with a wrong one",
    rationale: "A wrong key must be refused with 401 so clients tell bad credentials from other failures.",
    async run(probes) {
      if (probes.target.apiKey === undefined) {
        return skip("no API key was given, so a wrong key cannot be told from a backend without auth");
      }
      const answer = await probes.errorAnswer("badKey");
      if (answer.status === 401) return pass();
      return fail("HTTP 401 for a wrong API key", answered(answer.status, answer.text));
    },
  },
];
