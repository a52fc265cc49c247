import { readFileSync } from "node:fs";

/** This package's version, from its package.json (two levels above this file in src/ and in dist/). */
export function packageVersion(packageJson: URL = new URL("../../package.json", import.meta.url)): string {
  const { version } = JSON.parse(readFileSync(packageJson, "utf8")) as { version?: unknown };
  if (typeof version !== "string") throw new Error(`${packageJson.pathname} has no version`);
  return version;
}
