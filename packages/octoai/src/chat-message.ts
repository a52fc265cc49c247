import type { ChatMessage as SpecChatMessage } from "@chatwire/core";

/** A message of the conversation: one of the spec's message shapes. */
export type ChatMessage = SpecChatMessage;

const made = new WeakSet<object>();

/**
 * `new ChatMessage({ role: "user", content: "Hi" })`, as `ChatMessage(role="user", content="Hi")` in
 * the Python SDK, typed as the message it was given so `role` keeps narrowing the union.
 *
 * The instance is a plain object, not an object with this class as its prototype: the spec's
 * request validators are zod intersections, which merge only plain objects and refuse anything
 * else as an "unmergable intersection". `instanceof ChatMessage` still tells the instances apart.
 */
export const ChatMessage = class ChatMessage {
  constructor(message: SpecChatMessage) {
    const plain = { ...message };
    made.add(plain);
    // biome-ignore lint/correctness/noConstructorReturn: the instance must be a plain object (see above).
    return plain;
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && made.has(value);
  }
} as unknown as new <M extends SpecChatMessage>(
  message: M,
) => M;
