import { forEachSchemaNode, mapSchema, type SchemaNode } from "./schema-walk.js";
import { type ChatSpec, refTarget } from "./spec-files.js";

/**
 * The validators are written as `zod/mini` code: its functions (`z.object`, `z.optional`,
 * `.check(z.gte(0))`) are separate exports, so a bundler keeps only those the spec uses, where
 * classic zod's method chains pull in all of zod. Each JSON Schema keyword below maps to one zod
 * schema or check; the keywords the spec may use are exactly these, and anything else fails the
 * build (see assertEveryKeywordIsEnforced).
 */

/** Keywords that select or constrain a JSON type, by the type they apply to. */
const TYPE_KEYWORDS = {
  string: ["minLength", "maxLength", "pattern"],
  number: ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"],
  array: ["items", "minItems", "maxItems"],
  object: ["properties", "required", "additionalProperties"],
} as const;
/** Keywords zod has no schema or check for; the generator writes them as checks of its own (see REFINEMENTS). */
const REFINED_KEYWORDS = ["maxProperties", "propertyNames", "dependentSchemas", "if", "then", "not"] as const;
/** Keywords enforced by a zod schema or check. */
const NATIVE_KEYWORDS = [
  "type",
  "$ref",
  "enum",
  "const",
  "anyOf",
  "allOf",
  "oneOf",
  ...Object.values(TYPE_KEYWORDS).flat(),
] as const;
/** Keywords that carry no constraint. `default` is a server-side fact, never filled in. */
const ANNOTATIONS = ["description", "title", "$comment", "examples", "deprecated", "default"] as const;

const OBJECT_REFINEMENTS = ["maxProperties", "propertyNames", "dependentSchemas", "if", "then"] as const;
const JSON_TYPES = ["string", "number", "integer", "boolean", "null", "array", "object"] as const;
type JsonType = (typeof JSON_TYPES)[number];

export const schemaConstName = (defName: string): string => `${defName}Schema`;

/**
 * Fails the build when the spec uses a keyword that no part of the generator enforces: a
 * constraint the validators silently dropped would let them accept what the spec rejects.
 */
function assertEveryKeywordIsEnforced(spec: ChatSpec): void {
  const known = new Set<string>([...NATIVE_KEYWORDS, ...REFINED_KEYWORDS, ...ANNOTATIONS]);
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
 * Checks the generated file defines for the keywords zod has no check for. Each is emitted only
 * when the spec uses it. Their issues carry `continue: true`, as zod's own checks do, so one value
 * reports every rule it breaks.
 */
const REFINEMENTS = {
  check: `type Check = (payload: z.core.ParsePayload<object>) => void;`,
  maxProperties: `/** JSON Schema \`maxProperties\`. */
function maxProperties(max: number): Check {
  return (payload) => {
    const count = Object.keys(payload.value).length;
    if (count > max) {
      payload.issues.push({ code: "custom", input: payload.value, continue: true, message: \`has \${count} properties, at most \${max} allowed\` });
    }
  };
}`,
  propertyNames: `/** JSON Schema \`propertyNames\`: every key must match \`names\`. */
function propertyNames(names: z.ZodMiniType): Check {
  return (payload) => {
    for (const key of Object.keys(payload.value)) {
      const check = names.safeParse(key);
      if (!check.success) {
        payload.issues.push({ code: "custom", input: key, path: [key], continue: true, message: \`property name is invalid: \${check.error.issues[0]?.message}\` });
      }
    }
  };
}`,
  ifThen: `/**
 * JSON Schema \`if\`/\`then\`, and \`dependentSchemas\` (if the key is present, then its schema): a value
 * that matches \`condition\` must match \`consequence\`. Each issue says why it applies.
 */
function ifThen(condition: z.ZodMiniType, consequence: z.ZodMiniType, reason: string): Check {
  return (payload) => {
    if (!condition.safeParse(payload.value).success) return;
    const check = consequence.safeParse(payload.value);
    if (check.success) return;
    for (const issue of check.error.issues) {
      payload.issues.push({ code: "custom", input: payload.value, path: issue.path, continue: true, message: \`\${issue.message} (\${reason})\` });
    }
  };
}`,
  not: `/** JSON Schema \`not\`. */
function not(schema: z.ZodMiniType, message: string): z.ZodMiniUnknown {
  return z.unknown().check((payload) => {
    if (schema.safeParse(payload.value).success) payload.issues.push({ code: "custom", input: payload.value, message });
  });
}`,
} as const;
type Refinement = keyof typeof REFINEMENTS;

const isNode = (value: unknown): value is SchemaNode =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const call = (fn: string, ...args: string[]): string => `z.${fn}(${args.join(", ")})`;
const withChecks = (schema: string, checks: string[]): string =>
  checks.length === 0 ? schema : `${schema}.check(${checks.join(", ")})`;
const intersect = (parts: string[]): string => parts.reduce((left, right) => call("intersection", left, right));

/** A keyword's value as metadata for z.toJSONSchema: its subschemas without their annotations. */
function withoutAnnotations(keyword: string, value: unknown): unknown {
  const strip = (node: SchemaNode): SchemaNode =>
    Object.fromEntries(Object.entries(node).filter(([k]) => !(ANNOTATIONS as readonly string[]).includes(k)));
  return mapSchema({ [keyword]: value }, strip)[keyword];
}

/** Writes the zod/mini expression of one schema node, recording which refinements it needs. */
class Emitter {
  readonly used = new Set<Refinement>();

  constructor(private readonly defName: string) {}

  private fail(at: string, problem: string): never {
    throw new Error(`$defs/${this.defName}${at}: ${problem}, which the zod generator cannot enforce`);
  }

  /** Every keyword of `node` that constrains the value becomes one part; the value must pass all parts. */
  emit(node: SchemaNode, at: string): string {
    const parts: string[] = [];
    if (node.$ref !== undefined) parts.push(schemaConstName(refTarget(String(node.$ref))));
    const values = this.allowedValues(node, at);
    if (values !== undefined) parts.push(values);
    else {
      const typed = this.typed(node, at);
      if (typed !== undefined) parts.push(typed);
    }
    if (Array.isArray(node.anyOf)) parts.push(this.alternatives(node.anyOf, `${at}/anyOf`, "union"));
    if (Array.isArray(node.oneOf)) parts.push(this.alternatives(node.oneOf, `${at}/oneOf`, "xor"));
    if (Array.isArray(node.allOf))
      parts.push(intersect(node.allOf.map((sub, i) => this.emit(sub, `${at}/allOf/${i}`))));
    if (isNode(node.not)) parts.push(this.negation(node.not, `${at}/not`));
    return parts.length === 0 ? call("unknown") : intersect(parts);
  }

  /** `enum`/`const`: the listed values (those of a type `type` allows), as one literal schema. */
  private allowedValues(node: SchemaNode, at: string): string | undefined {
    if (node.enum === undefined && node.const === undefined) return undefined;
    const typeKeywords = Object.values(TYPE_KEYWORDS)
      .flat()
      .filter((k) => node[k] !== undefined);
    if (typeKeywords.length > 0 || [...OBJECT_REFINEMENTS, "maxProperties"].some((k) => node[k] !== undefined)) {
      this.fail(at, `"enum"/"const" together with "${typeKeywords[0] ?? "a refinement"}"`);
    }
    let values = node.enum !== undefined ? (node.enum as unknown[]) : [node.const];
    if (node.const !== undefined && node.enum !== undefined) values = values.filter((v) => v === node.const);
    const types = this.types(node);
    if (types !== undefined) values = values.filter((v) => types.some((t) => jsonTypeOf(v, t)));
    for (const value of values) {
      if (typeof value === "object" && value !== null) this.fail(at, `an object or array in "enum"/"const"`);
    }
    if (values.length === 0) return call("never");
    return values.length === 1 ? call("literal", JSON.stringify(values[0])) : call("literal", JSON.stringify(values));
  }

  /** The `type` keyword's types; undefined when absent. */
  private types(node: SchemaNode): JsonType[] | undefined {
    if (node.type === undefined) return undefined;
    return (Array.isArray(node.type) ? node.type : [node.type]) as JsonType[];
  }

  /** `type` and the keywords that constrain one type; with several types, one branch per type. */
  private typed(node: SchemaNode, at: string): string | undefined {
    let types = this.types(node);
    const applies = (t: keyof typeof TYPE_KEYWORDS) => TYPE_KEYWORDS[t].some((k) => node[k] !== undefined);
    if (types === undefined) {
      // Object keywords without a type only occur in the subschemas of if/then and dependentSchemas,
      // which apply to objects; other type keywords without their type would constrain nothing.
      const stray = (["string", "number", "array"] as const).find(applies);
      if (stray !== undefined)
        this.fail(at, `"${TYPE_KEYWORDS[stray].find((k) => node[k] !== undefined)}" without "type"`);
      if (!applies("object") && !OBJECT_REFINEMENTS.some((k) => node[k] !== undefined)) return undefined;
      types = ["object"];
    }
    for (const group of ["string", "number", "array", "object"] as const) {
      const target = group === "number" ? ["number", "integer"] : [group];
      if (applies(group) && !types.some((t) => target.includes(t))) {
        this.fail(at, `"${TYPE_KEYWORDS[group].find((k) => node[k] !== undefined)}" on a non-${group} type`);
      }
    }
    const branches = types.filter((t) => t !== "null").map((t) => this.typeBranch(t, node, at));
    const nullable = types.includes("null");
    if (branches.length === 0) return call("null");
    const value = branches.length === 1 ? (branches[0] as string) : call("union", `[${branches.join(", ")}]`);
    return nullable ? call("nullable", value) : value;
  }

  private typeBranch(type: JsonType, node: SchemaNode, at: string): string {
    const num = (keyword: string): number | undefined => node[keyword] as number | undefined;
    switch (type) {
      case "string": {
        const checks: string[] = [];
        if (num("minLength") !== undefined) checks.push(call("minLength", String(num("minLength"))));
        if (num("maxLength") !== undefined) checks.push(call("maxLength", String(num("maxLength"))));
        // JSON Schema patterns are ECMA-262 regular expressions in unicode mode, as ajv reads them.
        if (node.pattern !== undefined) checks.push(call("regex", `new RegExp(${JSON.stringify(node.pattern)}, "u")`));
        return withChecks(call("string"), checks);
      }
      case "number":
      case "integer": {
        const checks: string[] = [];
        for (const [keyword, check] of [
          ["minimum", "gte"],
          ["maximum", "lte"],
          ["exclusiveMinimum", "gt"],
          ["exclusiveMaximum", "lt"],
          ["multipleOf", "multipleOf"],
        ] as const) {
          if (num(keyword) !== undefined) checks.push(call(check, String(num(keyword))));
        }
        return withChecks(call(type === "integer" ? "int" : "number"), checks);
      }
      case "boolean":
        return call("boolean");
      case "array": {
        if (node.items !== undefined && !isNode(node.items)) this.fail(`${at}/items`, "a list of item schemas");
        const items = isNode(node.items) ? this.emit(node.items, `${at}/items`) : call("unknown");
        const checks: string[] = [];
        if (num("minItems") !== undefined) checks.push(call("minLength", String(num("minItems"))));
        if (num("maxItems") !== undefined) checks.push(call("maxLength", String(num("maxItems"))));
        return withChecks(call("array", items), checks);
      }
      case "object":
        return this.object(node, at);
      default:
        return this.fail(at, `type "${String(type)}"`);
    }
  }

  /**
   * `properties`, `required` and `additionalProperties`. JSON Schema lets unknown properties through
   * unless told otherwise, so a missing `additionalProperties` is a loose object (the unknown-field
   * policy depends on it).
   */
  private object(node: SchemaNode, at: string): string {
    const properties = (isNode(node.properties) ? node.properties : {}) as Record<string, SchemaNode>;
    const required = new Set((node.required ?? []) as string[]);
    const entries = Object.entries(properties).map(([key, sub]) => {
      const schema = this.emit(sub, `${at}/properties/${key}`);
      return `${JSON.stringify(key)}: ${required.has(key) ? schema : call("optional", schema)}`;
    });
    // A required key that `properties` does not describe may hold anything, but must be there.
    for (const key of required) if (!(key in properties)) entries.push(`${JSON.stringify(key)}: ${call("unknown")}`);
    const shape = `{ ${entries.join(", ")} }`;
    const extra = node.additionalProperties;
    let schema: string;
    if (extra === undefined || extra === true) schema = call("looseObject", shape);
    else if (extra === false) schema = call("strictObject", shape);
    else if (isNode(extra))
      schema = call("catchall", call("object", shape), this.emit(extra, `${at}/additionalProperties`));
    else schema = this.fail(`${at}/additionalProperties`, "a value that is not a schema");
    return withChecks(schema, this.refinements(node, at));
  }

  /** Checks for the object keywords zod lacks, plus the keywords as metadata, so z.toJSONSchema gives them back. */
  private refinements(node: SchemaNode, at: string): string[] {
    const present = OBJECT_REFINEMENTS.filter((k) => node[k] !== undefined);
    if (present.length === 0) return [];
    const checks: string[] = [];
    const objectSchema = (sub: SchemaNode, where: string): string => this.emit({ ...sub, type: "object" }, where);
    if (node.maxProperties !== undefined) checks.push(this.use("maxProperties", String(node.maxProperties)));
    if (isNode(node.propertyNames)) {
      checks.push(
        this.use("propertyNames", this.emit({ ...node.propertyNames, type: "string" }, `${at}/propertyNames`)),
      );
    }
    for (const [trigger, dependent] of Object.entries((node.dependentSchemas ?? {}) as Record<string, SchemaNode>)) {
      const present = call("looseObject", `{ ${JSON.stringify(trigger)}: ${call("unknown")} }`);
      const schema = objectSchema(dependent, `${at}/dependentSchemas/${trigger}`);
      checks.push(this.use("ifThen", present, schema, JSON.stringify(`required because ${trigger} is set`)));
    }
    if (node.if !== undefined || node.then !== undefined) {
      if (!isNode(node.if) || !isNode(node.then)) this.fail(at, '"if" without "then", or "then" without "if"');
      const triggers = (node.if.required ?? []) as string[];
      const reason =
        triggers.length > 0
          ? `required because ${triggers.join(" and ")} ${triggers.length > 1 ? "are" : "is"} set`
          : "required by the if/then rule";
      const condition = objectSchema(node.if, `${at}/if`);
      checks.push(this.use("ifThen", condition, objectSchema(node.then, `${at}/then`), JSON.stringify(reason)));
    }
    const keywords = Object.fromEntries(present.map((k) => [k, withoutAnnotations(k, node[k])]));
    checks.push(call("meta", JSON.stringify(keywords)));
    return checks;
  }

  /** `not`: a check that the value fails the subschema, plus the keyword as metadata. */
  private negation(sub: SchemaNode, at: string): string {
    const bare = withoutAnnotations("not", sub) as SchemaNode;
    const what = Object.keys(bare).length === 1 && typeof bare.type === "string" ? bare.type : JSON.stringify(bare);
    const schema = this.use("not", this.emit(sub, at), JSON.stringify(`Invalid input: must not be ${what}`));
    return withChecks(schema, [call("meta", JSON.stringify({ not: bare }))]);
  }

  /** `anyOf` as a union (`oneOf` as xor: exactly one); a `null` alternative becomes z.nullable, whose issues name the expected type. */
  private alternatives(options: unknown[], at: string, kind: "union" | "xor"): string {
    const emitted = options.map((sub, i) => this.emit(sub as SchemaNode, `${at}/${i}`));
    if (kind === "union") {
      const rest = emitted.filter((code) => code !== call("null"));
      if (rest.length < emitted.length && rest.length > 0) {
        return call("nullable", rest.length === 1 ? (rest[0] as string) : call("union", `[${rest.join(", ")}]`));
      }
    }
    return emitted.length === 1 ? (emitted[0] as string) : call(kind, `[${emitted.join(", ")}]`);
  }

  private use(refinement: Refinement, ...args: string[]): string {
    this.used.add(refinement);
    return `${refinement}(${args.join(", ")})`;
  }
}

function jsonTypeOf(value: unknown, type: JsonType): boolean {
  switch (type) {
    case "null":
      return value === null;
    case "integer":
      return Number.isInteger(value);
    case "array":
      return Array.isArray(value);
    case "object":
      return isNode(value);
    default:
      return typeof value === type;
  }
}

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

/** One exported zod/mini schema per `$defs` entry, plus a table of all of them by name. */
export function generateZodSchemas(spec: ChatSpec, header: string): string {
  assertEveryKeywordIsEnforced(spec);
  const used = new Set<Refinement>();
  const blocks = dependencyOrder(spec).map((defName) => {
    const def = spec.$defs[defName] as SchemaNode;
    const emitter = new Emitter(defName);
    const code = emitter.emit(def, "");
    for (const refinement of emitter.used) used.add(refinement);
    const doc = typeof def.description === "string" ? `/** ${def.description.replace(/\*\//g, "*\\/")} */\n` : "";
    return `${doc}export const ${schemaConstName(defName)} = ${code};`;
  });
  const helpers = (Object.keys(REFINEMENTS) as Refinement[])
    .filter((name) => used.has(name) || (name === "check" && [...used].some((u) => u !== "not")))
    .map((name) => REFINEMENTS[name]);
  const table = Object.keys(spec.$defs)
    .map((defName) => `  ${defName}: ${schemaConstName(defName)},`)
    .join("\n");
  return `${header}
import { en } from "zod/locales";
import * as z from "zod/mini";

// zod/mini sets no locale, and without one every message reads "Invalid input". As classic zod
// does, English is set unless the application chose a locale of its own.
if (!z.config().localeError) z.config(en());

${helpers.join("\n\n")}

${blocks.join("\n\n")}

/** Every schema of the spec, by its \`$defs\` name. */
export const specSchemas = {
${table}
} as const;

export type SpecSchemaName = keyof typeof specSchemas;
`;
}
