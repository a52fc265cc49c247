import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { specRoot } from "./spec-root.js";

/** One document of the example corpus, with the verdict the spec must give it. */
export interface SpecExample {
  name: string;
  /** The `$defs` name the document is checked against. */
  schema: string;
  valid: boolean;
  /** Where a valid sample comes from, or which rule an invalid one breaks. */
  source: string;
  document: unknown;
  /** The file it came from, e.g. `gradient.examples.json`. */
  file: string;
}

/** Every example of `spec/examples/*.examples.json`, in file order. */
export function loadExamples(): SpecExample[] {
  const dir = join(specRoot(), "examples");
  return readdirSync(dir)
    .filter((name) => name.endsWith(".examples.json"))
    .sort()
    .flatMap((file) =>
      (JSON.parse(readFileSync(join(dir, file), "utf8")) as Omit<SpecExample, "file">[]).map((example) => ({
        ...example,
        file,
      })),
    );
}
