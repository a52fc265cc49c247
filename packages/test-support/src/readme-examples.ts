import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import ts from "typescript";

/** The ```ts blocks of a markdown file, each with the line it starts on. */
export function markdownCodeBlocks(
  markdown: string,
  languages = ["ts", "typescript"],
): { code: string; line: number }[] {
  const blocks: { code: string; line: number }[] = [];
  const fence = /^```(\w*)[^\n]*\n([\s\S]*?)^```/gm;
  for (let match = fence.exec(markdown); match; match = fence.exec(markdown)) {
    if (!languages.includes(match[1] ?? "")) continue;
    blocks.push({ code: match[2] ?? "", line: markdown.slice(0, match.index).split("\n").length + 1 });
  }
  return blocks;
}

/**
 * Type-checks every TypeScript block of a package README as its own module, with the package's
 * name resolved to its sources, under the repository's strict compiler settings. Returns the
 * diagnostics as `README.md:<line>: <message>`; an empty list means every example compiles.
 */
export function typecheckReadmeExamples(packageDir: string, packageName: string): string[] {
  const readmePath = join(packageDir, "README.md");
  const blocks = markdownCodeBlocks(readFileSync(readmePath, "utf8"));
  if (blocks.length === 0) return [`${readmePath}: no TypeScript examples found`];
  const configPath = join(packageDir, "tsconfig.json");
  const config = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  if (!config) throw new Error(`Cannot read ${configPath}`);
  const options: ts.CompilerOptions = {
    ...config.options,
    noEmit: true,
    baseUrl: packageDir,
    paths: { [packageName]: ["./src/index.ts"] },
    // Examples show usage; a variable they declare and do not read again is fine.
    noUnusedLocals: false,
  };
  const files = new Map(blocks.map((block, i) => [resolve(packageDir, `readme-example-${i}.ts`), block]));
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (name) => files.get(resolve(name))?.code ?? readFile(name);
  host.fileExists = (name) => files.has(resolve(name)) || fileExists(name);
  const program = ts.createProgram([...files.keys()], options, host);
  return ts.getPreEmitDiagnostics(program).flatMap((diagnostic) => {
    const block = diagnostic.file && files.get(resolve(diagnostic.file.fileName));
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
    if (!diagnostic.file || !block) return [`${diagnostic.file?.fileName ?? "tsc"}: ${message}`];
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
    return [`${dirname(readmePath).split("/").pop()}/README.md:${block.line + line}: ${message}`];
  });
}
