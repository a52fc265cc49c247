import { compile, type JSONSchema } from "json-schema-to-typescript";
import { mapSchema, type SchemaNode } from "./schema-walk.js";
import type { ChatSpec } from "./spec-files.js";

const ROOT_NAME = "ChatwireSpecRoot";

/** JSDoc tags for the constraints TypeScript cannot express, so they show up on hover. */
function constraintTags(node: SchemaNode): string[] {
  const tags: string[] = [];
  for (const keyword of [
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "maxProperties",
  ]) {
    if (node[keyword] !== undefined) tags.push(`@${keyword} ${String(node[keyword])}`);
  }
  if (node.default !== undefined) tags.push(`@default ${JSON.stringify(node.default)}`);
  return tags;
}

/**
 * Shapes the spec for json-schema-to-typescript:
 * - a `$ref` with a sibling `description` would become a renamed copy of the referenced type
 *   (`Delta1`, `ResponseMessage1`), so the reference is kept bare and the type keeps one name;
 * - ranges and defaults are folded into the description, where they become JSDoc.
 */
function prepareForTypes(spec: ChatSpec): SchemaNode {
  const defs = mapSchema({ $defs: spec.$defs }, (node) => {
    if (typeof node.$ref === "string") return { $ref: node.$ref };
    const tags = constraintTags(node);
    if (tags.length === 0 || typeof node.description !== "string") return node;
    return { ...node, description: `${node.description}\n\n${tags.join("\n")}` };
  }).$defs;
  return { title: ROOT_NAME, type: "object", additionalProperties: false, $defs: defs };
}

/**
 * TypeScript types for every `$defs` entry. Types name only the fields the spec knows (no index
 * signatures), so a misspelt field is a compile error; the validators still let unknown fields through.
 */
export async function generateTypes(spec: ChatSpec, header: string): Promise<string> {
  const source = await compile(prepareForTypes(spec) as JSONSchema, ROOT_NAME, {
    bannerComment: header,
    unreachableDefinitions: true,
    additionalProperties: false,
    ignoreMinAndMaxItems: true,
    format: false,
  });
  return source
    .replace(new RegExp(`export interface ${ROOT_NAME} \\{\\s*\\}\\n`), "")
    .replace(
      /\n \* ?\n \* This interface was referenced by `\w+`'s JSON-Schema\n \* via the `definition` "\w+"\./g,
      "",
    );
}
