import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const biomeBin = createRequire(import.meta.url).resolve("@biomejs/biome/bin/biome");

/**
 * Formats generated TypeScript with the repository's own formatter, so generated files look like
 * the rest of the code and output does not change with the converters' whitespace habits.
 */
export function formatTypeScript(source: string, fileName: string): string {
  const result = spawnSync(process.execPath, [biomeBin, "format", `--stdin-file-path=${fileName}`], {
    input: source,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`biome could not format generated ${fileName}:\n${result.stderr || result.stdout}`);
  }
  return result.stdout;
}
