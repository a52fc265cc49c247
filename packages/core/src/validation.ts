import type { z } from "zod/mini";
import { ValidationError } from "./errors.js";

/** `strict` throws on a mismatch, `warn` logs it and goes on, `off` skips the check. */
export type ValidationMode = "strict" | "warn" | "off";

export interface Logger {
  warn(message: string): void;
}

/** `$.messages[0].role` from zod's `["messages", 0, "role"]`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = "$";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (typeof segment === "string" && /^[A-Za-z_$][\w$]*$/.test(segment)) out += `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

/**
 * Checks `value` against a spec schema. Returns the value itself (not zod's copy), so unknown fields
 * and key order stay exactly as they arrived. `schema` may be left out only when `mode` is off.
 */
export function checkAgainstSpec<T>(
  schema: z.ZodMiniType | undefined,
  value: unknown,
  what: string,
  mode: ValidationMode,
  logger: Logger,
  hint: string,
): T {
  if (mode === "off" || schema === undefined) return value as T;
  const result = schema.safeParse(value);
  if (result.success) return value as T;
  // A provider request is its base request and its extension at once, both of which may check the
  // same field (OctoAI's max_tokens): the same problem at the same path is reported once.
  const seen = new Set<string>();
  const issues: { path: string; message: string }[] = [];
  for (const issue of result.error.issues) {
    const path = jsonPath(issue.path);
    const key = `${path}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({ path, message: issue.message });
  }
  const listed = issues
    .slice(0, 5)
    .map((issue) => `${issue.path}: ${issue.message}`)
    .join("; ");
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : "";
  const message = `${what} does not match the spec: ${listed}${more}. ${hint}`;
  if (mode === "warn") {
    logger.warn(`chatwire: ${message}`);
    return value as T;
  }
  throw new ValidationError(message, issues);
}
