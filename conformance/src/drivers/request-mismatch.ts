import type { Mismatch } from "../replay/compare.js";
import type { ResultMessage } from "./protocol.js";

/**
 * The words with which a case's server (the fixture server, or replay's in-process fetch) answers,
 * with a 400, a request other than the one the fixture records. The SDK turns the answer into an
 * error whose message quotes them, whatever its language, and the runner reports the request as
 * the failure instead of the 400 the fixture never recorded.
 */
export function requestMismatchMessage(caseId: string, differences: readonly string[]): string {
  return `The request is not the one case ${caseId} records, so its recorded answer was not sent. ${differences.join("; ")}.`;
}

// The server's hints after the differences begin with one of these.
const MISMATCH =
  /The request is not the one case (\S+) records, so its recorded answer was not sent\. (.*?)\.?(?= Give the SDK the base URL| An SDK whose method lacks| GET https?:\/\/| Fix the request|$)/s;

/** The request the result's error says differed, as the failure to report; undefined when it says no such thing. */
export function requestMismatchIn(result: Pick<ResultMessage, "error">): Mismatch | undefined {
  const match = result.error?.message.match(MISMATCH);
  if (!match) return undefined;
  return {
    expected: "the request the fixture records",
    got: `a different request, which the case's server refused with ${result.error?.status ?? 400} instead of the recorded answer (the differences below; the SDK's ${result.error?.class ?? "error"} quotes them)`,
    diff: (match[2] ?? "").split("; ").join("\n"),
  };
}
