import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { typecheckReadmeExamples } from "./readme-examples.js";

/**
 * What every published package must keep true: the version it sends in its user agent is the one
 * in its package.json, and every TypeScript example of its README compiles.
 */
export function describePackageBasics(packageRoot: URL, version: string): void {
  const packageDir = fileURLToPath(packageRoot);
  const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as {
    name: string;
    version: string;
  };
  describe(`${manifest.name} package`, () => {
    it("sends the version of its package.json", () => {
      expect(version).toBe(manifest.version);
    });
    it("has README examples that compile", () => {
      expect(typecheckReadmeExamples(packageDir, manifest.name)).toEqual([]);
    }, 60_000);
  });
}
