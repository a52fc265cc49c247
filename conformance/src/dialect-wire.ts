import { type DialectId, dialects } from "@chatwire/core";

export const DIALECT_IDS = Object.keys(dialects) as DialectId[];

export function isDialectId(value: string): value is DialectId {
  return (DIALECT_IDS as string[]).includes(value);
}

/**
 * The chat URL for a base URL, as the SDKs build it: the dialect's chat path from
 * spec/dialects.json appended to the base (so `http://127.0.0.1:8080/gradient` becomes
 * `http://127.0.0.1:8080/gradient/v1/chat/completions`).
 */
export function chatURL(baseURL: string, dialect: DialectId): string {
  return `${baseURL.replace(/\/+$/, "")}${dialects[dialect].chat_path}`;
}

/** The auth header a dialect sends with `apiKey`, or none without a key. */
export function authHeaders(dialect: DialectId, apiKey: string | undefined): Record<string, string> {
  if (apiKey === undefined) return {};
  const { header, scheme } = dialects[dialect].auth;
  return { [header.toLowerCase()]: scheme ? `${scheme} ${apiKey}` : apiKey };
}
