import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const srcDir = fileURLToPath(new URL(".", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") && !entry.name.startsWith("test-")
      ? [path]
      : [];
  });
}

describe("the core uses web-standard APIs only", () => {
  it("imports no Node built-in and touches no Node-only global", () => {
    const offenders = sourceFiles(srcDir).flatMap((file) => {
      const text = readFileSync(file, "utf8");
      const found = [
        /from\s+["']node:/.test(text) && "a node: import",
        /from\s+["'](fs|path|http|https|net|stream|buffer|crypto|os|url|util|events|child_process)["']/.test(text) &&
          "a bare Node built-in import",
        /\brequire\(/.test(text) && "require()",
        /\bBuffer\./.test(text) && "Buffer",
        /\bprocess\./.test(text) && "process",
      ].filter(Boolean);
      return found.map((what) => `${relative(srcDir, file)}: ${what}`);
    });
    expect(offenders).toEqual([]);
  });
});
