import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

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

function examplesDir(): string {
  // Source lives in spec/src, compiled code in spec/dist/src; the corpus in spec/examples.
  const here = dirname(fileURLToPath(import.meta.url));
  return here.includes(`${join("dist", "src")}`) ? join(here, "..", "..", "examples") : join(here, "..", "examples");
}

/** Every example of `spec/examples/*.examples.json`, in file order. */
export function loadExamples(): SpecExample[] {
  const dir = examplesDir();
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
