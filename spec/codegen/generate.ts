import { generateDialectTable, generateDialectValidators } from "./dialect-table.js";
import { formatTypeScript } from "./format.js";
import { type ChatSpec, DIALECTS_FILE, type DialectFile, SPEC_FILE } from "./spec-files.js";
import { generateTypes } from "./typescript-types.js";
import { generateZodSchemas } from "./zod-schemas.js";

const header = (source: string): string =>
  `// Generated from spec/${source} by @chatwire/spec codegen. Do not edit: change the spec and run \`npm run codegen\`.\n`;

/** Every generated file, by file name, formatted and ready to write. */
export async function generateAll(spec: ChatSpec, dialects: DialectFile): Promise<Record<string, string>> {
  // The zod generator checks references and keywords, so it runs before the types generator sees the spec.
  const schemas = generateZodSchemas(spec, header(SPEC_FILE));
  const files: Record<string, string> = {
    "types.ts": await generateTypes(spec, header(SPEC_FILE)),
    "schemas.ts": schemas,
    "dialects.ts": generateDialectTable(dialects, header(`${DIALECTS_FILE} and spec/${SPEC_FILE}`)),
    "validators.ts": generateDialectValidators(dialects, header(`${DIALECTS_FILE} and spec/${SPEC_FILE}`)),
    // zod and the schemas stay out of the package root: they load on the first validated call.
    "index.ts": `${header(SPEC_FILE)}export * from "./dialects.js";\nexport type * from "./types.js";\n`,
  };
  return Object.fromEntries(Object.entries(files).map(([name, source]) => [name, formatTypeScript(source, name)]));
}
