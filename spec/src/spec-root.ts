import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const SPEC_FILE = "chat-completions.schema.json";

/** The spec package's root, found from this file so it works from source and from dist alike. */
export function specRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, SPEC_FILE))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find ${SPEC_FILE} above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}
