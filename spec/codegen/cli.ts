#!/usr/bin/env node
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { generateAll } from "./generate.js";
import { loadSpecFiles } from "./spec-files.js";

const usage = "usage: chatwire-codegen --out <dir> [--check]";

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { out: { type: "string" }, check: { type: "boolean", default: false } } });
  if (!values.out) {
    console.error(`chatwire-codegen: --out is required.\n${usage}`);
    return 2;
  }
  const outDir = resolve(values.out);
  const { spec, dialects } = loadSpecFiles();
  const files = await generateAll(spec, dialects);

  const existing = new Set(safeReaddir(outDir));
  const stale = [...existing].filter((name) => !(name in files));
  const changed = Object.entries(files).filter(([name, source]) => readOrNull(join(outDir, name)) !== source);
  if (values.check) {
    if (changed.length === 0 && stale.length === 0) return 0;
    console.error(
      `chatwire-codegen: ${outDir} is out of date with the spec (${[...changed.map(([n]) => n), ...stale].join(", ")}). Run \`npm run codegen\` and commit the result.`,
    );
    return 1;
  }
  mkdirSync(outDir, { recursive: true });
  for (const name of stale) rmSync(join(outDir, name));
  for (const [name, source] of changed) writeFileSync(join(outDir, name), source);
  console.log(
    `chatwire-codegen: ${Object.keys(files).length} files in ${outDir} (${changed.length} changed, ${stale.length} removed)`,
  );
  return 0;
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`chatwire-codegen: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
