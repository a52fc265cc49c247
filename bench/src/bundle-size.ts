/**
 * Suite "bundle": what a browser app ships for a client. The same small program (create a client,
 * one streamed `create`, iterate) bundled with esbuild for the browser, once as one file and once
 * split into chunks, the way a bundler that honours the dynamic `import()` of the validators
 * serves them; each output measured minified and gzipped.
 */
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, version as esbuildVersion, type Metafile, type Plugin } from "esbuild";
import type { Ratio, Row, RunOptions, SuiteReport } from "./harness.js";

const SUITE = "bundle";

/** The bench package, so that the programs' imports resolve to its own dependencies. */
const BENCH_PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));

// Written without top-level await so the one-file build can keep esbuild's default browser format.
const stream = (client: string) => `async function main() {
  const client = ${client};
  const stream = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }], stream: true });
  for await (const chunk of stream) console.log(chunk.choices[0]?.delta.content);
}
main();`;

const PROGRAMS = {
  "chatwire, validation on": `import { Gradient } from "@chatwire/gradient";\n${stream(`new Gradient({ apiKey: "x" })`)}`,
  "chatwire, validation off": `import { Gradient } from "@chatwire/gradient";\n${stream(`new Gradient({ apiKey: "x", validation: "off" })`)}`,
  // openai refuses to run in a browser unless told it may.
  openai: `import OpenAI from "openai";\n${stream(`new OpenAI({ apiKey: "x", dangerouslyAllowBrowser: true })`)}`,
} as const;
export type ProgramName = keyof typeof PROGRAMS;

export interface Output {
  /** The chunk the page loads first (the program's), or the one file. */
  main: boolean;
  minified: number;
  gzip: number;
  /** Bytes of the output that come from each input file, as esbuild's metafile tells them. */
  inputs: Record<string, number>;
}

/** Serves a program as the entry point, resolving its imports from the bench package. */
const programPlugin = (name: ProgramName): Plugin => ({
  name: "program",
  setup(esbuild) {
    esbuild.onResolve({ filter: /^program$/ }, () => ({ path: name, namespace: "program" }));
    esbuild.onLoad({ filter: /.*/, namespace: "program" }, () => ({
      contents: PROGRAMS[name],
      loader: "js",
      resolveDir: BENCH_PACKAGE_DIR,
    }));
  },
});

/**
 * Bundles a program as `esbuild --bundle --minify --platform=browser` does, and with `split`
 * adds `--splitting --format=esm`. Gzip is node:zlib at level 9, each output on its own (a
 * browser fetches each chunk apart).
 */
export async function bundle(name: ProgramName, split: boolean): Promise<Output[]> {
  const result = await build({
    entryPoints: ["program"],
    plugins: [programPlugin(name)],
    bundle: true,
    minify: true,
    platform: "browser",
    ...(split ? { splitting: true, format: "esm" as const } : {}),
    outdir: "out",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const metafile = result.metafile as Metafile;
  return result.outputFiles
    .filter((file) => file.path.endsWith(".js"))
    .map((file) => {
      const meta = Object.entries(metafile.outputs).find(([path]) => file.path.endsWith(path))?.[1];
      if (!meta) throw new Error(`esbuild's metafile does not list ${file.path}`);
      return {
        // A dynamically imported chunk has an entry point too: the main one is the program's.
        main: meta.entryPoint === `program:${name}`,
        minified: file.contents.byteLength,
        gzip: gzipSync(file.contents, { level: 9 }).byteLength,
        inputs: Object.fromEntries(
          Object.entries(meta.inputs).map(([input, { bytesInOutput }]) => [input, bytesInOutput]),
        ),
      };
    });
}

/** Bytes of an output that come from zod. */
export const zodBytes = (output: Output): number =>
  Object.entries(output.inputs)
    .filter(([input]) => input.includes("node_modules/zod/"))
    .reduce((sum, [, bytes]) => sum + bytes, 0);

const sum = (outputs: Output[], key: "minified" | "gzip"): number =>
  outputs.reduce((total, output) => total + output[key], 0);

export async function runBundleSize(_options: RunOptions): Promise<SuiteReport> {
  // Sizes do not vary from run to run, so quick mode measures the same way.
  const rows: Row[] = [];
  const sizes = new Map<string, number>();
  const notes: string[] = [];
  for (const name of Object.keys(PROGRAMS) as ProgramName[]) {
    const [single] = await bundle(name, false);
    const chunks = await bundle(name, true);
    const main = chunks.find((chunk) => chunk.main);
    if (!single || !main) throw new Error(`esbuild wrote no entry output for ${name}`);
    const figures: [string, number][] = [
      ["one file, minified", single.minified],
      ["one file, gzip -9", single.gzip],
      ["split: main chunk, minified", main.minified],
      ["split: main chunk, gzip -9", main.gzip],
      ["split: all chunks, minified", sum(chunks, "minified")],
      ["split: all chunks, gzip -9", sum(chunks, "gzip")],
    ];
    for (const [caseName, bytes] of figures) {
      sizes.set(`${name}: ${caseName}`, bytes);
      rows.push({
        suite: SUITE,
        case: caseName,
        contender: name,
        unit: "B",
        figure: { median: bytes, min: bytes, max: bytes, samples: 1 },
      });
    }
    sizes.set(`${name}: zod in the main chunk`, zodBytes(main));
    notes.push(
      `${SUITE}: ${name}: ${chunks.length === 1 ? "one chunk" : `${chunks.length} chunks`} when split; zod is ${zodBytes(single).toLocaleString("en-US")} B of the one file and ${zodBytes(main).toLocaleString("en-US")} B of the main chunk.`,
    );
  }
  const size = (key: string): number => sizes.get(key) ?? Number.NaN;
  const ratio = (what: string, caseName: string, target?: number): Ratio => ({
    suite: SUITE,
    name: `${what} / openai, ${caseName}`,
    value: size(`chatwire, ${what}: ${caseName}`) / size(`openai: ${caseName}`),
    ...(target === undefined ? {} : { target: { op: "<=" as const, value: target } }),
  });
  return {
    rows,
    ratios: [
      ratio("validation on", "one file, minified", 1),
      ratio("validation on", "one file, gzip -9", 1),
      ratio("validation on", "split: all chunks, gzip -9"),
      ratio("validation off", "split: main chunk, gzip -9"),
      {
        suite: SUITE,
        name: "zod in chatwire's main chunk with validation off, bytes",
        value: size("chatwire, validation off: zod in the main chunk"),
        target: { op: "<=", value: 0 },
      },
    ],
    notes: [
      `${SUITE}: each program creates a client, makes one streamed chat.completions.create and iterates it; esbuild ${esbuildVersion} --bundle --minify --platform=browser (one file), plus --splitting --format=esm (split: the validators are a dynamic import, so they become a chunk of their own, fetched with the first validated call); gzip is node:zlib level 9, per output file.`,
      ...notes,
    ],
  };
}
