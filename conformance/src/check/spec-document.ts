import { createRequire } from "node:module";

/** The parts of the spec document the validators read. */
export interface ChatSpec {
  $id: string;
  $defs: Record<string, object>;
}

/** spec/chat-completions.schema.json, resolved through the package's exports as any consumer would. */
export const spec = createRequire(import.meta.url)("@chatwire/spec/chat-completions.schema.json") as ChatSpec;
