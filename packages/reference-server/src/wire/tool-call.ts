import { randomUUID } from "node:crypto";
import type { ToolCall } from "@chatwire/core";

/**
 * The tool call a forced choice wrote, or undefined when its text is not a whole call: a stop
 * string or the token limit can cut the grammar's JSON short, and then the choice is answered as text.
 */
export function toolCallFrom(text: string, index: number): ToolCall | undefined {
  let call: unknown;
  try {
    call = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof call !== "object" || call === null) return undefined;
  const { name, arguments: args } = call as { name?: unknown; arguments?: unknown };
  if (typeof name !== "string" || args === undefined) return undefined;
  return {
    id: `call_${randomUUID().replace(/-/g, "").slice(0, 24)}_${index}`,
    type: "function",
    function: { name, arguments: JSON.stringify(args) },
  };
}

/** Arguments sent in a few pieces, as providers stream them. */
export function splitArguments(text: string): string[] {
  const size = Math.max(1, Math.ceil(text.length / 4));
  const pieces: string[] = [];
  for (let at = 0; at < text.length; at += size) pieces.push(text.slice(at, at + size));
  return pieces;
}
