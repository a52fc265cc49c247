import { ApiError } from "./errors.js";

/** Bounds on a request's JSON Schema, so building and running its grammar stays cheap. */
const SCHEMA_LIMITS = {
  /** Bytes of the schema as JSON. */
  maxBytes: 64 * 1024,
  /** Nesting of schemas inside schemas. */
  maxDepth: 24,
  /** Entries of one `enum`. */
  maxEnum: 1024,
  /** Entries of every `enum`, `const` and `oneOf` together. */
  maxAlternatives: 4096,
} as const;

/** Keywords the grammar enforces, or that only annotate. Anything else is refused by name. */
const ENFORCED = new Set([
  "type",
  "properties",
  "required",
  "additionalProperties",
  "minProperties",
  "maxProperties",
  "items",
  "prefixItems",
  "minItems",
  "maxItems",
  "minLength",
  "maxLength",
  "format",
  "enum",
  "const",
  "oneOf",
  "anyOf",
  "$ref",
  "$defs",
]);
const ANNOTATIONS = new Set([
  "title",
  "description",
  "$schema",
  "$id",
  "$comment",
  "default",
  "examples",
  "deprecated",
  "readOnly",
  "writeOnly",
]);
const SCALAR_TYPES = new Set(["string", "number", "integer", "boolean", "null"]);
const FORMATS = new Set(["date-time", "date", "time"]);
/** Keywords whose value is one schema, a list of schemas, or a map of names to schemas. */
const SUBSCHEMA = new Set(["items", "additionalProperties"]);
const SUBSCHEMA_LISTS = new Set(["prefixItems", "oneOf", "anyOf"]);
const SUBSCHEMA_MAPS = new Set(["properties", "$defs"]);

/**
 * Checks `schema` (found at `where` in the request) against what the grammar can enforce and the
 * size limits, and returns it in the form the grammar builder takes (`anyOf` as its `oneOf`: both
 * mean "one of these shapes" to a generator). A 400 names the keyword and its path.
 */
export function checkSchema(schema: unknown, where: string): object {
  const size = JSON.stringify(schema).length;
  if (size > SCHEMA_LIMITS.maxBytes) {
    fail(where, `is ${size} bytes of JSON; the limit is ${SCHEMA_LIMITS.maxBytes}`, "limit_exceeded");
  }
  const definitions = isObject(schema) && isObject(schema.$defs) ? schema.$defs : {};
  let alternatives = 0;
  const visit = (node: unknown, path: string, depth: number): unknown => {
    if (depth > SCHEMA_LIMITS.maxDepth) {
      fail(path, `nests schemas more than ${SCHEMA_LIMITS.maxDepth} deep`, "limit_exceeded");
    }
    if (typeof node === "boolean") fail(path, "is a boolean schema; give an object schema with a `type`");
    if (!isObject(node)) fail(path, "is not a JSON Schema object");
    const keys = Object.keys(node);
    if (keys.every((key) => ANNOTATIONS.has(key))) {
      fail(path, "allows any value, which the grammar cannot express; give it a `type`");
    }
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const value = node[key];
      if (ANNOTATIONS.has(key)) continue;
      if (!ENFORCED.has(key)) {
        fail(
          `${path}.${key}`,
          `the keyword \`${key}\` is not enforced by the grammar; remove it (see the server README for the keywords that are)`,
          "unsupported_schema",
        );
      }
      if (SUBSCHEMA.has(key) && typeof value !== "boolean") out[key] = visit(value, `${path}.${key}`, depth + 1);
      else if (SUBSCHEMA_LISTS.has(key)) {
        if (!Array.isArray(value) || value.length === 0) fail(`${path}.${key}`, "must be a non-empty array of schemas");
        alternatives += value.length;
        out[key === "anyOf" ? "oneOf" : key] = value.map((item, index) =>
          visit(item, `${path}.${key}[${index}]`, depth + 1),
        );
      } else if (SUBSCHEMA_MAPS.has(key)) {
        if (!isObject(value)) fail(`${path}.${key}`, "must be an object of schemas");
        out[key] = Object.fromEntries(
          Object.entries(value).map(([name, item]) => [name, visit(item, `${path}.${key}.${name}`, depth + 1)]),
        );
      } else out[key] = value;
    }
    if ("anyOf" in node && "oneOf" in node) fail(path, "has both `anyOf` and `oneOf`; nest one inside the other");
    checkType(node, path);
    if (typeof node.format === "string" && !FORMATS.has(node.format)) {
      fail(
        `${path}.format`,
        `the format "${node.format}" is not enforced by the grammar; use one of ${[...FORMATS].join(", ")} or remove it`,
        "unsupported_schema",
      );
    }
    if (Array.isArray(node.enum)) {
      if (node.enum.length > SCHEMA_LIMITS.maxEnum) {
        fail(
          `${path}.enum`,
          `has ${node.enum.length} entries; the limit is ${SCHEMA_LIMITS.maxEnum}`,
          "limit_exceeded",
        );
      }
      alternatives += node.enum.length;
    }
    if (alternatives > SCHEMA_LIMITS.maxAlternatives) {
      fail(
        path,
        `brings the schema's enum, const and oneOf entries past ${SCHEMA_LIMITS.maxAlternatives}`,
        "limit_exceeded",
      );
    }
    const reference = node.$ref;
    if (reference !== undefined && !resolves(reference, definitions)) {
      fail(
        `${path}.$ref`,
        `"${String(reference)}" does not name an entry of the schema's own "$defs"`,
        "unsupported_schema",
      );
    }
    return out;
  };
  return visit(schema, where, 0) as object;
}

function checkType(node: Record<string, unknown>, path: string): void {
  const type = node.type;
  if (type === undefined || type === "object" || type === "array") return;
  const types = Array.isArray(type) ? type : [type];
  for (const entry of types) {
    if (typeof entry !== "string" || !SCALAR_TYPES.has(entry)) {
      const hint =
        entry === "object" || entry === "array"
          ? `a list of types may only hold ${[...SCALAR_TYPES].join(", ")}; write \`anyOf: [{"type": "${entry}", ...}, {"type": "null"}]\` instead`
          : `"${String(entry)}" is not a JSON Schema type`;
      fail(`${path}.type`, hint, "unsupported_schema");
    }
  }
}

function fail(
  path: string,
  message: string,
  kind: "invalid_request" | "unsupported_schema" | "limit_exceeded" = "invalid_request",
): never {
  throw new ApiError(kind, `Invalid request: ${path}: ${message}.`, { param: path.replace(/^\$\./, "") });
}

function resolves(reference: unknown, definitions: Record<string, unknown>): boolean {
  if (typeof reference !== "string" || !reference.startsWith("#/$defs/")) return false;
  const name = reference.slice("#/$defs/".length).replaceAll("~1", "/").replaceAll("~0", "~");
  return Object.hasOwn(definitions, name);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
