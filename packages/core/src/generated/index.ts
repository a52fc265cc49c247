// Generated from spec/chat-completions.schema.json by @chatwire/spec codegen. Do not edit: change the spec and run `npm run codegen`.
export * from "./dialects.js";
export type * from "./types.js";
