// Packs core and each provider package, installs each provider with core into an empty project,
// and checks what a user gets: only the expected packages, no Node-only module in our code, an
// ESM import and a CommonJS require that both work, and the installed size.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const providers = [
  { name: "@chatwire/gradient", dir: "packages/gradient", make: "new m.Gradient({ modelAccessKey: 'k' })" },
  { name: "@chatwire/octoai", dir: "packages/octoai", make: "new m.OctoAI({ apiKey: 'k' })" },
  {
    name: "@chatwire/predictionguard",
    dir: "packages/predictionguard",
    make: "new m.PredictionGuard({ apiKey: 'k' })",
  },
];
const expectedPackages = (provider) => ["@chatwire/core", provider, "zod"].sort();
const nodeOnly = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

const run = (command, args, cwd) =>
  execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const pack = (dir) => {
  const [info] = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", work], join(root, dir)));
  return { file: join(work, info.filename), files: info.files.map((f) => f.path) };
};
const walk = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
const importsOf = (source) =>
  [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']([^"']+)["']/g)].map((m) => m[1]);

const work = mkdtempSync(join(tmpdir(), "chatwire-pack-"));
const failures = [];
const core = pack("packages/core");
const coreExtras = core.files.filter((path) => /\.test\.|test-helpers|fixtures\//.test(path));
if (coreExtras.length) failures.push(`@chatwire/core tarball holds test files: ${coreExtras.join(", ")}`);
const rows = [];
const only = process.argv.slice(2);
for (const provider of providers.filter((p) => only.length === 0 || only.includes(p.name))) {
  const tarball = pack(provider.dir);
  const unexpected = tarball.files.filter(
    (path) => !/^(package\.json|README\.md|LICENSE|dist\/.+\.(js|d\.ts))$/.test(path),
  );
  if (unexpected.length)
    failures.push(`${provider.name} tarball holds files users do not need: ${unexpected.join(", ")}`);

  const project = mkdtempSync(join(work, "project-"));
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "empty-project", private: true, type: "module" }),
  );
  run("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", core.file, tarball.file], project);

  const installed = JSON.parse(readFileSync(join(project, "node_modules", ".package-lock.json"), "utf8"));
  const names = Object.keys(installed.packages)
    .map((path) => path.replace(/^.*node_modules\//, ""))
    .sort();
  if (JSON.stringify(names) !== JSON.stringify(expectedPackages(provider.name))) {
    failures.push(
      `${provider.name} installs ${names.join(", ")}; expected ${expectedPackages(provider.name).join(", ")}`,
    );
  }
  for (const file of walk(join(project, "node_modules", "@chatwire")).filter((f) => f.endsWith(".js"))) {
    const bad = importsOf(readFileSync(file, "utf8")).filter((specifier) => nodeOnly.has(specifier));
    if (bad.length) failures.push(`${file.slice(project.length + 1)} imports Node-only ${bad.join(", ")}`);
  }
  try {
    run(
      "node",
      ["--input-type=module", "-e", `const m = await import("${provider.name}"); ${provider.make};`],
      project,
    );
    run("node", ["-e", `const m = require("${provider.name}"); ${provider.make};`], project);
  } catch (error) {
    failures.push(`${provider.name} does not load: ${error.stderr || error.message}`);
  }
  const bytes = walk(join(project, "node_modules"))
    .filter((f) => !f.endsWith(".package-lock.json"))
    .reduce((sum, f) => sum + statSync(f).size, 0);
  const ours = walk(join(project, "node_modules", "@chatwire")).reduce((sum, f) => sum + statSync(f).size, 0);
  rows.push(
    `${provider.name}: ${names.length} packages, ${(bytes / 1024).toFixed(0)} KiB installed (${(ours / 1024).toFixed(0)} KiB of it @chatwire, the rest zod)`,
  );
}
console.log(rows.join("\n"));
if (failures.length) {
  console.error(`\n${failures.join("\n")}`);
  process.exit(1);
}
console.log(
  "pack-install check passed: each provider installs with core and zod only, loads by import and require, and uses no Node-only module.",
);
