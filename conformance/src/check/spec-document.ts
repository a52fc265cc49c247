import { createRequire } from "node:module";
import { type DialectId, dialects } from "@chatwire/core";

/** The parts of a JSON Schema node these helpers walk. */
interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

export interface ChatSpec {
  $id: string;
  $defs: Record<string, SchemaNode>;
}

/** spec/chat-completions.schema.json, resolved through the package's exports as any consumer would. */
export const spec = createRequire(import.meta.url)("@chatwire/spec/chat-completions.schema.json") as ChatSpec;

function definition(ref: string | undefined): SchemaNode | undefined {
  const match = ref === undefined ? null : /^#\/\$defs\/(.+)$/.exec(ref);
  return match?.[1] === undefined ? undefined : spec.$defs[match[1]];
}

/**
 * Whether the dialect's chunk schema types `choices[].logprobs` as a number (Prediction Guard's one
 * number per chunk) rather than per-token entries. Read from the spec so the checks follow it.
 */
export function chunkLogprobsAreNumbers(dialect: DialectId): boolean {
  const chunk = spec.$defs[dialects[dialect].schemas.chunk];
  const choice = definition(chunk?.properties?.choices?.items?.$ref);
  const type = choice?.properties?.logprobs?.type;
  return Array.isArray(type) ? type.includes("number") : type === "number";
}
