import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES_DIR, PACKAGE_DIR } from "./fixture.js";

// Module hooks that stand in for an install without the reference server (an optional peer).
// `refuse` makes loading it, or node-llama-cpp, throw a marker, so a test can tell a command that
// never tried from one that tried and failed; `missing` answers as Node does for an absent package.
const hook = (mode: "refuse" | "missing") => `
const blocked = (s) => s === "@chatwire/reference-server" || s === "node-llama-cpp" || s.startsWith("node-llama-cpp/");
export async function resolve(specifier, context, next) {
  if (blocked(specifier)) {
    ${
      mode === "refuse"
        ? 'throw new Error("NO-LLAMA: refused to load " + specifier);'
        : `const error = new Error("Cannot find package '" + specifier + "' imported from " + context.parentURL);
    error.code = "ERR_MODULE_NOT_FOUND";
    throw error;`
    }
  }
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (url.includes("/node-llama-cpp/") || url.includes("/packages/reference-server/"))
    throw new Error("NO-LLAMA: refused to load " + url);
  return next(url, context);
}`;
const register = (mode: "refuse" | "missing") =>
  `import { register } from "node:module"; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook(mode))}`)});`;

/** Runs the CLI from source (as cli.test.ts does) with the reference server out of reach. */
function cli(mode: "refuse" | "missing", ...args: string[]) {
  const result = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "--import",
      `data:text/javascript,${encodeURIComponent(register(mode))}`,
      join(PACKAGE_DIR, "src", "cli.ts"),
      ...args,
    ],
    { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 120_000 },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("without the reference server", () => {
  it("the hook refuses it, as an import of the reference server shows", () => {
    const result = spawnSync(
      process.execPath,
      [
        "--import",
        `data:text/javascript,${encodeURIComponent(register("refuse"))}`,
        "--input-type=module",
        "-e",
        'await import("@chatwire/reference-server")',
      ],
      { cwd: PACKAGE_DIR, encoding: "utf8" },
    );
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/NO-LLAMA: refused to load @chatwire\/reference-server/);
  });

  it("--help and check --help work", () => {
    for (const args of [["--help"], ["check", "--help"]]) {
      const { status, stdout, stderr } = cli("refuse", ...args);
      expect(stderr).not.toMatch(/NO-LLAMA/);
      expect({ status, stdout }).toMatchObject({
        status: 0,
        stdout: expect.stringMatching(/check --dialect D --base-url URL/),
      });
    }
  });

  it("replays a fixture", { timeout: 120_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), "one-fixture-"));
    mkdirSync(join(dir, "octoai"));
    copyFileSync(join(FIXTURES_DIR, "octoai", "stream-basic.json"), join(dir, "octoai", "stream-basic.json"));
    const { status, stdout, stderr } = cli("refuse", "replay", "--fixtures", dir);
    expect(stderr).not.toMatch(/NO-LLAMA/);
    expect(stdout).toMatch(/PASS\s+octoai\/stream-basic/);
    expect(status).toBe(0);
  });

  it("runs a check against a backend, which gets as far as the backend", { timeout: 120_000 }, () => {
    const args = "check --dialect gradient --base-url http://127.0.0.1:9 --model m".split(" ");
    const { status, stdout, stderr } = cli("refuse", ...args);
    expect(`${stdout}${stderr}`).not.toMatch(/NO-LLAMA/);
    expect(`${stdout}${stderr}`).toMatch(/127\.0\.0\.1:9/);
    expect(status).not.toBe(0);
    expect(status).not.toBe(2);
  });

  it("`all` and `record` without --base-url exit 2 and say what to install", () => {
    const all = cli("missing", "all");
    expect(all.status).toBe(2);
    expect(all.stderr).toMatch(/install @chatwire\/reference-server to run `all`/);
    const out = mkdtempSync(join(tmpdir(), "record-out-"));
    const record = cli("missing", "record", "--dialect", "gradient", "--out", out);
    expect(record.status).toBe(2);
    expect(record.stderr).toMatch(/install @chatwire\/reference-server to run `record` without --base-url/);
  });
});
