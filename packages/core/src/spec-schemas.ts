import type { z } from "zod";
import type { SpecSchemaName } from "./generated/schemas.js";

export type { SpecSchemaName };

let schemaModule: Promise<typeof import("./generated/schemas.js")> | undefined;

/**
 * The zod schema of a spec type, by name (e.g. `"ChatCompletionChunk"`, as the dialect table's
 * `schemas` name them). zod and the generated schemas take longer to load than the rest of an SDK
 * together (about 100 ms of a cold start), so they load with the first validated call rather than
 * at import, and never when validation is off.
 */
export async function loadSpecSchema(name: SpecSchemaName): Promise<z.ZodType> {
  schemaModule ??= import("./generated/schemas.js");
  return (await schemaModule).specSchemas[name];
}
