/** A JSON Schema node as the generators see it; the keywords they read by name are listed. */
export interface SchemaNode {
  [keyword: string]: unknown;
  $ref?: unknown;
  $defs?: unknown;
  type?: unknown;
  description?: unknown;
  default?: unknown;
  properties?: unknown;
  additionalProperties?: unknown;
  maxProperties?: unknown;
  propertyNames?: unknown;
  dependentSchemas?: unknown;
}

const isNode = (value: unknown): value is SchemaNode =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Keywords whose value is one subschema. */
const SINGLE_SUBSCHEMA = ["items", "additionalProperties", "propertyNames", "not", "if", "then", "else", "contains"];
/** Keywords whose value is a list of subschemas. */
const SUBSCHEMA_LISTS = ["allOf", "anyOf", "oneOf", "prefixItems"];
/** Keywords whose value maps names to subschemas. */
const SUBSCHEMA_MAPS = ["properties", "patternProperties", "dependentSchemas", "$defs"];

/**
 * Rebuilds a schema bottom-up, passing every subschema node through `rewrite` after its own
 * subschemas were rewritten. The input is never mutated, so one loaded spec can feed every generator.
 */
export function mapSchema(node: SchemaNode, rewrite: (node: SchemaNode) => SchemaNode): SchemaNode {
  const copy: SchemaNode = { ...node };
  for (const keyword of SINGLE_SUBSCHEMA) {
    const child = copy[keyword];
    if (isNode(child)) copy[keyword] = mapSchema(child, rewrite);
  }
  for (const keyword of SUBSCHEMA_LISTS) {
    const children = copy[keyword];
    if (Array.isArray(children)) {
      copy[keyword] = children.map((child: unknown) => (isNode(child) ? mapSchema(child, rewrite) : child));
    }
  }
  for (const keyword of SUBSCHEMA_MAPS) {
    const children = copy[keyword];
    if (isNode(children)) {
      copy[keyword] = Object.fromEntries(
        Object.entries(children).map(([name, child]) => [name, isNode(child) ? mapSchema(child, rewrite) : child]),
      );
    }
  }
  return rewrite(copy);
}

/** Visits every subschema node, the root included. */
export function forEachSchemaNode(node: SchemaNode, visit: (node: SchemaNode) => void): void {
  mapSchema(node, (visited) => {
    visit(visited);
    return visited;
  });
}
