import { type DialectId, dialects } from "@chatwire/core";
import { isObject } from "../json.js";
import { spec } from "./spec-document.js";

const LOCAL_REF = "#/$defs/";

/** The top-level properties a schema names, through its `allOf` parts and the `$defs` they refer to. */
function propertyNames(schema: unknown): string[] {
  if (!isObject(schema)) return [];
  const own = isObject(schema.properties) ? Object.keys(schema.properties) : [];
  const parts = Array.isArray(schema.allOf) ? schema.allOf : [];
  const referred =
    typeof schema.$ref === "string" && schema.$ref.startsWith(LOCAL_REF)
      ? spec.$defs[schema.$ref.slice(LOCAL_REF.length)]
      : undefined;
  return [...own, ...parts.flatMap(propertyNames), ...propertyNames(referred)];
}

/**
 * Whether the dialect's request schema (dialects.json `schemas.request`) has `field`: the checks of
 * a provider's own request field (OctoAI's `loglikelihood`, `peft`) run where the spec gives it.
 */
export function requestTakes(dialect: DialectId, field: string): boolean {
  return propertyNames(spec.$defs[dialects[dialect].schemas.request]).includes(field);
}

/** Why a check of `field` does not apply to the dialect: its request schema has no such field. */
export function notInRequest(dialect: DialectId, field: string): string {
  return `${dialect}'s request schema (${dialects[dialect].schemas.request} in spec/chat-completions.schema.json) has no \`${field}\``;
}
