import type { DialectId } from "@chatwire/core";

/**
 * Request fields the dialect's API takes (spec/chat-completions.schema.json) but the chat method of
 * its official SDK does not, read from each SDK's source. A driver built on such an SDK cannot send
 * them, so a fixture whose body holds one lists it in `request.optional_for_drivers`; the recorded
 * answer never depends on them.
 */
const FIELDS_OFFICIAL_SDKS_LACK: Readonly<Record<DialectId, readonly string[]>> = {
  // `octoai` 1.11.0, `text_gen.create_chat_completion` and `create_chat_completion_stream`: their
  // request types (the Fern definition the Python and the `@octoai/sdk` 1.11.0 clients share) have
  // no seed, max_completion_tokens or parallel_tool_calls. OctoAI's own `loglikelihood` and `peft`
  // are among their fields, so a driver on that SDK sends them.
  octoai: ["seed", "max_completion_tokens", "parallel_tool_calls"],
  // `predictionguard` 2.11.0, `chat.completions.create`: named arguments only, and none for these.
  predictionguard: ["seed", "n", "response_format", "logprobs", "top_logprobs", "user"],
  // `gradient` 3.10.1, `chat.completions.create`: keyword arguments for the rest of the request,
  // none for these (only through `extra_body`).
  gradient: ["seed", "response_format", "parallel_tool_calls"],
};

/** The fields of `body` a driver may leave out, in the order the body has them; undefined when none. */
export function optionalForDrivers(dialect: DialectId, body: Record<string, unknown>): string[] | undefined {
  const lacking = FIELDS_OFFICIAL_SDKS_LACK[dialect];
  const optional = Object.keys(body).filter((field) => lacking.includes(field));
  return optional.length > 0 ? optional : undefined;
}
