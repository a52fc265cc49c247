import { type JsonSchemaObject, jsonSchemaToZod, parseSchema } from "json-schema-to-zod";
import { forEachSchemaNode, mapSchema, type SchemaNode } from "./schema-walk.js";
import { type ChatSpec, refTarget } from "./spec-files.js";

type ParserOverride = NonNullable<NonNullable<Parameters<typeof jsonSchemaToZod>[1]>["parserOverride"]>;
type Refs = Parameters<ParserOverride>[1];

/** Keywords json-schema-to-zod turns into zod code (or that carry no constraint). */
const CONVERTER_KEYWORDS = new Set([
  "type",
  "properties",
  "required",
  "additionalProperties",
  "patternProperties",
  "items",
  "minItems",
  "maxItems",
  "anyOf",
  "allOf",
  "oneOf",
  "not",
  "enum",
  "const",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "pattern",
  "description",
  "title",
  "$comment",
  "examples",
  "deprecated",
]);
/** Keywords the converter ignores (or, for `if`/`then`/`else`, mishandles); this generator emits them as refinements. */
const REFINED_KEYWORDS = ["maxProperties", "propertyNames", "dependentSchemas", "if", "then"] as const;

export const schemaConstName = (defName: string): string => `${defName}Schema`;

/**
 * Fails the build when the spec uses a keyword that no part of the generator enforces: a
 * constraint the validators silently dropped would let them accept what the spec rejects.
 */
function assertEveryKeywordIsEnforced(spec: ChatSpec): void {
  const known = new Set<string>([...CONVERTER_KEYWORDS, ...REFINED_KEYWORDS, "$ref", "default"]);
  for (const [defName, def] of Object.entries(spec.$defs)) {
    forEachSchemaNode(def, (node) => {
      for (const keyword of Object.keys(node)) {
        if (!known.has(keyword)) {
          throw new Error(
            `$defs/${defName} uses "${keyword}", which the zod generator cannot enforce. ` +
              "Express the rule with supported keywords, or teach spec/codegen/zod-schemas.ts to emit it.",
          );
        }
      }
    });
  }
}

/**
 * Shapes the spec for json-schema-to-zod:
 * - JSON Schema lets unknown properties through unless told otherwise, but a zod object strips
 *   them, so the JSON Schema default is made explicit (the unknown-field policy depends on it);
 * - defaults are server-side facts, not values to fill in, and the converter would otherwise
 *   make a property with a default required.
 */
function prepareForZod(def: SchemaNode): SchemaNode {
  return mapSchema(def, (node) => {
    const { default: _serverDefault, ...rest } = node;
    const isObject = rest.type === "object" || (Array.isArray(rest.type) && rest.type.includes("object"));
    if ((isObject || rest.properties !== undefined) && rest.additionalProperties === undefined) {
      return { ...rest, additionalProperties: true };
    }
    return rest;
  });
}

/** The spec was validated as JSON Schema on load; this hands a node to the converter's own schema type. */
const asConverterSchema = (node: SchemaNode): JsonSchemaObject => node as JsonSchemaObject;

function childRefs(refs: Refs, ...path: (string | number)[]): Refs {
  return { ...refs, path: [...refs.path, ...path] };
}

/** zod code for the keywords the converter does not know, as a superRefine plus the keywords as metadata (so z.toJSONSchema gives them back). */
function refinedObject(node: SchemaNode, refs: Refs): string | undefined {
  const present = REFINED_KEYWORDS.filter((keyword) => node[keyword] !== undefined);
  if (present.length === 0 || (node.type !== undefined && node.type !== "object")) return undefined;
  const rest = Object.fromEntries(Object.entries(node).filter(([k]) => !present.includes(k as never)));
  const checks: string[] = [];
  const {
    maxProperties,
    propertyNames,
    dependentSchemas,
    if: condition,
    then: consequence,
  } = node as {
    maxProperties?: number;
    propertyNames?: SchemaNode;
    dependentSchemas?: Record<string, SchemaNode>;
    if?: SchemaNode;
    then?: SchemaNode;
  };
  if (maxProperties !== undefined) {
    checks.push(`if (Object.keys(value).length > ${maxProperties}) {
      ctx.addIssue({ code: "custom", input: value, message: \`has \${Object.keys(value).length} properties, at most ${maxProperties} allowed\` });
    }`);
  }
  if (propertyNames !== undefined) {
    const keySchema = parseSchema(
      asConverterSchema({ type: "string", ...propertyNames }),
      childRefs(refs, "propertyNames"),
    );
    checks.push(`for (const key of Object.keys(value)) {
      const keyCheck = ${keySchema}.safeParse(key);
      if (!keyCheck.success) {
        ctx.addIssue({ code: "custom", input: key, path: [key], message: \`property name is invalid: \${keyCheck.error.issues[0]?.message}\` });
      }
    }`);
  }
  for (const [trigger, dependent] of Object.entries(dependentSchemas ?? {})) {
    const { description: _doc, ...constraint } = dependent;
    const dependentSchema = parseSchema(
      asConverterSchema({ type: "object", ...constraint }),
      childRefs(refs, "dependentSchemas", trigger),
    );
    checks.push(`if (${JSON.stringify(trigger)} in value) {
      ${reportIssuesOf(dependentSchema, `required because ${trigger} is set`)}
    }`);
  }
  if (condition !== undefined && consequence !== undefined) checks.push(conditionalCheck(condition, consequence, refs));
  const keywords = Object.fromEntries(present.map((k) => [k, stripDescriptions(k, node[k])]));
  return `${parseSchema(asConverterSchema(rest), refs)}.superRefine((value, ctx) => {\n${checks.join("\n")}\n}).meta(${JSON.stringify(keywords)})`;
}

/**
 * `if`/`then` on an object: when the value matches `if`, it must match `then` (`else` is not
 * supported, so the keyword check refuses it). The condition's `required` keys are checked by
 * presence, because a zod object lets a missing key through when its schema accepts `undefined`
 * (as `not: {type: "null"}` does); issues name those keys as the reason ("required because
 * top_logprobs is set").
 */
function conditionalCheck(condition: SchemaNode, consequence: SchemaNode, refs: Refs): string {
  const objectCheck = (keyword: string, schema: SchemaNode): string => {
    const { description: _doc, ...constraint } = schema;
    return parseSchema(asConverterSchema({ type: "object", ...constraint }), childRefs(refs, keyword));
  };
  const triggers = Array.isArray(condition.required) ? (condition.required as string[]) : [];
  const matches = [
    ...triggers.map((key) => `${JSON.stringify(key)} in value`),
    `${objectCheck("if", condition)}.safeParse(value).success`,
  ].join(" && ");
  const reason =
    triggers.length > 0
      ? `required because ${triggers.join(" and ")} ${triggers.length > 1 ? "are" : "is"} set`
      : "required by the if/then rule";
  return `if (${matches}) {
      ${reportIssuesOf(objectCheck("then", consequence), reason)}
    }`;
}

/** zod code that checks the whole value against `schemaCode` and reports each issue at its path, with `reason` appended. */
function reportIssuesOf(schemaCode: string, reason: string): string {
  return `const check = ${schemaCode}.safeParse(value);
      if (!check.success) {
        for (const issue of check.error.issues) {
          ctx.addIssue({ code: "custom", input: value, path: issue.path, message: \`\${issue.message} (${reason})\` });
        }
      }`;
}

/** A keyword's value as metadata for z.toJSONSchema: its subschemas without their descriptions. */
function stripDescriptions(keyword: string, value: unknown): unknown {
  return mapSchema({ [keyword]: value }, ({ description: _doc, ...node }) => node)[keyword];
}

const parserOverride: ParserOverride = (node, refs) => {
  const schemaNode = node as SchemaNode;
  if (typeof schemaNode.$ref === "string") return schemaConstName(refTarget(schemaNode.$ref));
  return refinedObject(schemaNode, refs);
};

/** `$defs` names in an order where every schema comes after the schemas it references. */
function dependencyOrder(spec: ChatSpec): string[] {
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string, from: string[]): void => {
    if (state.get(name) === "done") return;
    if (state.get(name) === "visiting") {
      throw new Error(
        `$defs form a reference cycle (${[...from, name].join(" -> ")}); the zod generator needs acyclic $defs`,
      );
    }
    state.set(name, "visiting");
    const def = spec.$defs[name];
    if (!def) throw new Error(`$ref to missing $defs/${name} (from ${from.join(" -> ")})`);
    forEachSchemaNode(def, (node) => {
      if (typeof node.$ref === "string") visit(refTarget(node.$ref), [...from, name]);
    });
    state.set(name, "done");
    order.push(name);
  };
  for (const name of Object.keys(spec.$defs)) visit(name, []);
  return order;
}

/** One exported zod schema per `$defs` entry, plus a table of all of them by name. */
export function generateZodSchemas(spec: ChatSpec, header: string): string {
  assertEveryKeywordIsEnforced(spec);
  const blocks = dependencyOrder(spec).map((defName) => {
    const def = spec.$defs[defName] as SchemaNode;
    const code = jsonSchemaToZod(asConverterSchema(prepareForZod(def)), {
      module: "none",
      zodVersion: 4,
      withoutDefaults: true,
      withoutDescribes: true,
      parserOverride,
    });
    const doc = typeof def.description === "string" ? `/** ${def.description.replace(/\*\//g, "*\\/")} */\n` : "";
    return `${doc}export const ${schemaConstName(defName)} = ${code};`;
  });
  const table = Object.keys(spec.$defs)
    .map((defName) => `  ${defName}: ${schemaConstName(defName)},`)
    .join("\n");
  return `${header}\nimport { z } from "zod";\n\n${blocks.join("\n\n")}\n\n/** Every schema of the spec, by its \`$defs\` name. */\nexport const specSchemas = {\n${table}\n} as const;\n\nexport type SpecSchemaName = keyof typeof specSchemas;\n`;
}
