import type { z } from "zod/mini";
import type { SpecSchemaName } from "./generated/schemas.js";

export type { SpecSchemaName };

let schemaModule: Promise<typeof import("#spec-schemas")> | undefined;

/**
 * The zod/mini schema of a spec type, by name (e.g. `"ChatCompletionChunk"`, as the dialect
 * table's `schemas` name them). zod and the generated schemas take longer to load than the rest of
 * an SDK together, so they load with the first validated call rather than at import, and never
 * when validation is off; a bundler that splits code puts them in a chunk of their own. In Node,
 * `#spec-schemas` is one pre-bundled file (see bundle-validators.mjs); elsewhere the plain module.
 */
export async function loadSpecSchema(name: SpecSchemaName): Promise<z.ZodMiniType> {
  schemaModule ??= import("#spec-schemas");
  return (await schemaModule).specSchemas[name];
}
