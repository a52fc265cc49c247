import type { Mismatch } from "../replay/compare.js";
import type { ResultMessage } from "./protocol.js";

/**
 * The words with which a case's server (the fixture server, or replay's in-process fetch) answers,
 * with a 400, a request other than the one the fixture records. The SDK turns the answer into an
 * error whose message quotes them, whatever its language, and the runner reports the request as
 * the failure instead of the 400 the fixture never recorded.
 */
export const REQUEST_MISMATCH_MARK = "chatwire conformance: the SDK sent another request than the fixture records";

/** The message of the 400 for a request that differs: the mark, then what differed. */
export function requestMismatchMessage(mismatch: Mismatch): string {
  return `${REQUEST_MISMATCH_MARK}: ${mismatch.got}${mismatch.diff ? `\n${mismatch.diff}` : ""}`;
}

/** A JSON body every chatwire SDK, and the OpenAI-shaped SDKs of other languages, reads the message from. */
export function requestMismatchBody(mismatch: Mismatch): string {
  return JSON.stringify({ error: { message: requestMismatchMessage(mismatch), type: "invalid_request_error" } });
}

/** The request the result's error says differed, as the failure to report; undefined when it says no such thing. */
export function requestMismatchIn(result: Pick<ResultMessage, "error">): Mismatch | undefined {
  const message = result.error?.message;
  const at = message?.indexOf(REQUEST_MISMATCH_MARK) ?? -1;
  if (message === undefined || at === -1) return undefined;
  const said = message.slice(at + REQUEST_MISMATCH_MARK.length).replace(/^:\s*/, "");
  const newline = said.indexOf("\n");
  return {
    expected: "the request the fixture records",
    got: newline === -1 ? said : said.slice(0, newline),
    ...(newline !== -1 && { diff: said.slice(newline + 1) }),
  };
}
