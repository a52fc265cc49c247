import type { ServerSentEvent } from "./parser.js";

/** The event a parser dispatches for `data`, with WHATWG defaults for the rest. Tests only. */
export const messageEvent = (data: string, rest: Partial<ServerSentEvent> = {}): ServerSentEvent => ({
  event: "message",
  data,
  id: "",
  retry: undefined,
  ...rest,
});
