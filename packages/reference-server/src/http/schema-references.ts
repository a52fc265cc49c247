/**
 * The first `$ref` in `schema` that does not point at an entry of its root `$defs`, or undefined.
 * node-llama-cpp turns such a reference into "any value" with only a console warning, so the
 * output would silently stop following the schema; the server refuses it instead.
 */
export function unresolvedReference(schema: unknown): string | undefined {
  const definitions = isObject(schema) && isObject(schema.$defs) ? schema.$defs : {};
  const pending: unknown[] = [schema];
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) pending.push(...node);
    else if (isObject(node)) {
      const reference = node.$ref;
      if (reference !== undefined && !resolves(reference, definitions)) return String(reference);
      pending.push(...Object.values(node));
    }
  }
  return undefined;
}

function resolves(reference: unknown, definitions: Record<string, unknown>): boolean {
  if (typeof reference !== "string" || !reference.startsWith("#/$defs/")) return false;
  const name = reference.slice("#/$defs/".length).replaceAll("~1", "/").replaceAll("~0", "~");
  return Object.hasOwn(definitions, name);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
