import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { packageVersion } from "./version.js";

describe("packageVersion", () => {
  it("reads the version from the package.json it is given", () => {
    const directory = mkdtempSync(join(tmpdir(), "chatwire-version-"));
    try {
      const file = join(directory, "package.json");
      writeFileSync(file, JSON.stringify({ name: "x", version: "9.8.7-rc.1" }));
      expect(packageVersion(pathToFileURL(file))).toBe("9.8.7-rc.1");
      writeFileSync(file, JSON.stringify({ name: "x" }));
      expect(() => packageVersion(pathToFileURL(file))).toThrow("has no version");
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("reads this package's package.json by default", () => {
    const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    expect(manifest.name).toBe("@chatwire/reference-server");
    expect(packageVersion()).toBe(manifest.version);
  });
});
