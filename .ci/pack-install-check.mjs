// Packs core and each provider package, installs each provider with core into an empty project,
// and checks what a user gets: only the expected packages, no Node-only module in our code, an
// ESM import and a CommonJS require that both work, and the installed size. Then installs the
// conformance package from the tarballs (with spec and the SDKs it replays against) the way one
// checks a remote backend: light (no node-llama-cpp, no reference server, no code generator) and
// its CLI working. `node .ci/pack-install-check.mjs NAME...` checks only the packages named.
import { execFileSync, spawnSync } from "node:child_process";
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
const packed = new Map();
const pack = (dir) => {
  if (!packed.has(dir)) {
    const [info] = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", work], join(root, dir)));
    packed.set(dir, { file: join(work, info.filename), files: info.files.map((f) => f.path) });
  }
  return packed.get(dir);
};
const walk = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
const importsOf = (source) =>
  [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']([^"']+)["']/g)].map((m) => m[1]);

const installInEmptyProject = (tarballs) => {
  const project = mkdtempSync(join(work, "project-"));
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "empty-project", private: true, type: "module" }),
  );
  run("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", ...tarballs], project);
  return project;
};
const installedNames = (project) => {
  const installed = JSON.parse(readFileSync(join(project, "node_modules", ".package-lock.json"), "utf8"));
  return Object.keys(installed.packages)
    .map((path) => path.replace(/^.*node_modules\//, ""))
    .sort();
};

const work = mkdtempSync(join(tmpdir(), "chatwire-pack-"));
const failures = [];
const core = pack("packages/core");
const coreExtras = core.files.filter((path) => /\.test\.|test-helpers|fixtures\//.test(path));
if (coreExtras.length) failures.push(`@chatwire/core tarball holds test files: ${coreExtras.join(", ")}`);
const rows = [];
const only = process.argv.slice(2);
const selected = (name) => only.length === 0 || only.includes(name);
for (const provider of providers.filter((p) => selected(p.name))) {
  const tarball = pack(provider.dir);
  const unexpected = tarball.files.filter(
    (path) => !/^(package\.json|README\.md|LICENSE|dist\/.+\.(js|d\.ts))$/.test(path),
  );
  if (unexpected.length)
    failures.push(`${provider.name} tarball holds files users do not need: ${unexpected.join(", ")}`);

  const project = installInEmptyProject([core.file, tarball.file]);
  const names = installedNames(project);
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

// Conformance, as installed to check a remote backend: the reference server is an optional peer
// (node-llama-cpp alone is hundreds of megabytes), and spec carries data only.
const CONFORMANCE_BUDGET_MIB = 40;
if (selected("@chatwire/conformance")) {
  const spec = pack("spec");
  const specManifest = JSON.parse(readFileSync(join(root, "spec", "package.json"), "utf8"));
  const specExtras = spec.files.filter(
    (path) =>
      !/^(package\.json|README\.md|LICENSE|chat-completions\.schema\.json|dialects(\.schema)?\.json|examples\/[^/]+\.json|dist\/src\/[^/]+\.(js|d\.ts)(\.map)?)$/.test(
        path,
      ),
  );
  if (specExtras.length) failures.push(`@chatwire/spec tarball holds more than the spec: ${specExtras.join(", ")}`);
  if (specManifest.dependencies || specManifest.bin)
    failures.push("@chatwire/spec has runtime dependencies or a bin: the generator must stay a build-time tool");
  const conformance = pack("conformance");
  const conformanceExtras = conformance.files.filter((path) => /\.test\.|(^|\/)test-[^/]*$/.test(path));
  if (conformanceExtras.length)
    failures.push(`@chatwire/conformance tarball holds test files: ${conformanceExtras.join(", ")}`);

  const project = installInEmptyProject([
    core.file,
    spec.file,
    ...providers.map((provider) => pack(provider.dir).file),
    conformance.file,
  ]);
  const names = installedNames(project);
  for (const heavy of ["node-llama-cpp", "@chatwire/reference-server", "@biomejs/biome", "json-schema-to-typescript"]) {
    if (names.includes(heavy)) failures.push(`@chatwire/conformance installs ${heavy}`);
  }
  // du -sk, as du -sm counts (rounded up to whole MiB), for a figure with a decimal.
  const kib = Number(run("du", ["-sk", "node_modules"], project).split("\t")[0]);
  const mib = (kib / 1024).toFixed(1);
  if (kib > CONFORMANCE_BUDGET_MIB * 1024)
    failures.push(
      `@chatwire/conformance installs ${mib} MiB (du node_modules); the budget is ${CONFORMANCE_BUDGET_MIB}`,
    );
  const cli = (...args) =>
    spawnSync("npx", ["--no", "--", "chatwire-conformance", ...args], { cwd: project, encoding: "utf8" });
  for (const args of [["--help"], ["check", "--help"]]) {
    const result = cli(...args);
    if (result.status !== 0 || !/check --dialect D --base-url URL/.test(result.stdout))
      failures.push(`chatwire-conformance ${args.join(" ")} failed (exit ${result.status}): ${result.stderr}`);
  }
  // The reference server is not there: `all` must say what to install, with the usage exit code.
  const all = cli("all");
  if (all.status !== 2 || !/install @chatwire\/reference-server to run `all`/.test(all.stderr))
    failures.push(`chatwire-conformance all without the reference server: exit ${all.status}, ${all.stderr}`);
  rows.push(
    `@chatwire/conformance: ${names.length} packages, ${mib} MiB installed (du node_modules; at most ${CONFORMANCE_BUDGET_MIB})`,
  );
}

console.log(rows.join("\n"));
if (failures.length) {
  console.error(`\n${failures.join("\n")}`);
  process.exit(1);
}
console.log(
  "pack-install check passed: each provider installs with core and zod only, loads by import and require, and uses no Node-only module; conformance installs without the reference server and its CLI works.",
);
