import type { DialectFile } from "./spec-files.js";
import { schemaConstName } from "./zod-schemas.js";

/**
 * The dialect table as a typed constant: wire facts as data, with the names of each dialect's
 * request, response, chunk and error schemas. It imports no validator: zod and the schemas load
 * apart from it (see generateDialectValidators), so importing an SDK does not pay for them.
 */
export function generateDialectTable(dialects: DialectFile, header: string): string {
  const entries = dialects.dialects.map((dialect) => `  ${dialect.id}: ${JSON.stringify(dialect)},`);
  const typeImports = [...new Set(dialects.dialects.flatMap((d) => Object.values(d.schemas)))].sort();
  return `${header}
import type { ${typeImports.join(", ")} } from "./types.js";

/** Wire facts of every provider, from spec/dialects.json. */
export const dialects = {
${entries.join("\n")}
} as const;

export type DialectId = keyof typeof dialects;
export type Dialect = (typeof dialects)[DialectId];

/** The spec types of each dialect's request, response, stream chunk and error body. */
export interface DialectTypes {
${dialects.dialects
  .map(
    (d) =>
      `  ${d.id}: { request: ${d.schemas.request}; response: ${d.schemas.response}; chunk: ${d.schemas.chunk}; error: ${d.schemas.error} };`,
  )
  .join("\n")}
}
`;
}

/** Each dialect's request, response, chunk and error validators, by dialect id. */
export function generateDialectValidators(dialects: DialectFile, header: string): string {
  const imports = new Set<string>();
  const entries = dialects.dialects.map((dialect) => {
    const validators = Object.entries(dialect.schemas).map(([role, defName]) => {
      imports.add(schemaConstName(defName));
      return `${role}: ${schemaConstName(defName)}`;
    });
    return `  ${dialect.id}: { ${validators.join(", ")} },`;
  });
  return `${header}
import { ${[...imports].sort().join(", ")} } from "./schemas.js";

/** The zod validators of every dialect's request, response, stream chunk and error body. */
export const dialectValidators = {
${entries.join("\n")}
} as const;
`;
}
