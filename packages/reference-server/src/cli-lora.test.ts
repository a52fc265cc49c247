import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ensureDefaultModel, ensureGeneratedAdapter } from "./model/default-model.js";

// The CLI runs from its source through tsx, as a child process: its exit status and its stderr are
// what is tested, and the source needs no build (cli.test.ts covers the built one).
const cli = fileURLToPath(new URL("cli.ts", import.meta.url));
const directory = mkdtempSync(join(tmpdir(), "chatwire-cli-lora-test-"));
const model = ensureDefaultModel(directory).path;
const adapter = ensureGeneratedAdapter("tiny", directory).path;
const FAST = ["-m", model, "--port", "0", "--gpu", "off", "--parallel", "1", "--context", "256"];
afterAll(() => rmSync(directory, { recursive: true, force: true }));

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to its end (a server that starts is stopped once it logs that it listens). */
function run(args: string[], env: Record<string, string> = {}): Promise<Exit> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("CHATWIRE_")));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", cli, ...args], {
      env: { ...clean, CHATWIRE_CACHE_DIR: directory, ...env },
    });
    let stdout = "";
    let stderr = "";
    let stopped = false;
    child.stdout.on("data", (data: Buffer) => {
      stdout += data;
      // Once: a second SIGTERM makes the CLI exit 1 at once.
      if (!stopped && /listening at /.test(stdout)) stopped = child.kill("SIGTERM");
    });
    child.stderr.on("data", (data: Buffer) => (stderr += data));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The single line the CLI wrote to stderr. */
function oneLine(exit: Exit): string {
  const lines = exit.stderr.trimEnd().split("\n");
  expect(lines, exit.stderr).toHaveLength(1);
  return lines[0] as string;
}

describe("chatwire-server --lora", () => {
  it("serves with an adapter from the flag or CHATWIRE_LORA", async () => {
    const flag = await run([...FAST, "--lora", `words=${adapter}`]);
    expect(flag.stdout, flag.stderr).toMatch(/listening at /);
    expect(flag.code).toBe(0);
    const variable = await run(FAST, { CHATWIRE_LORA: `words=${adapter}` });
    expect(variable.stdout, variable.stderr).toMatch(/listening at /);
  }, 30_000);

  it("refuses a value without =, an empty name or a name given twice: a usage error, exit 2", async () => {
    const noEquals = await run([...FAST, "--lora", adapter]);
    expect(noEquals.code).toBe(2);
    expect(oneLine(noEquals)).toContain(
      `--lora takes NAME=PATH, e.g. sql=adapters/sql-lora.gguf, got ${JSON.stringify(adapter)}: there is no = between the name and the path`,
    );
    const noName = await run([...FAST, "--lora", `=${adapter}`]);
    expect(noName.code).toBe(2);
    expect(oneLine(noName)).toContain("the name before = is empty");
    const duplicate = await run([...FAST, "--lora", `a=${adapter}`, "--lora", `a=${model}`]);
    expect(duplicate.code).toBe(2);
    expect(oneLine(duplicate)).toContain(
      `--lora names "a" twice (${adapter} and ${model}); give each adapter a name of its own`,
    );
  }, 30_000);

  it("refuses a missing file or a base model before loading: one error line, exit 1", async () => {
    const missing = await run([...FAST, "--lora", `gone=${join(directory, "gone.gguf")}`]);
    expect(missing.code).toBe(1);
    expect(oneLine(missing)).toMatch(/error chatwire-server: --lora gone: .*gone\.gguf: cannot read: ENOENT/);
    expect(missing.stdout).toBe("");
    const base = await run([...FAST, "--lora", `base=${model}`]);
    expect(base.code).toBe(1);
    expect(oneLine(base)).toContain(`--lora base: ${model} is not a LoRA adapter: its general.type is missing`);
    expect(base.stdout).toBe("");
  }, 30_000);

  it("fails in one line with llama.cpp's reason on an adapter for another model, exit 1", async () => {
    const other = ensureGeneratedAdapter("bench", directory).path;
    const exit = await run([...FAST, "--lora", `bench=${other}`]);
    expect(exit.code).toBe(1);
    expect(oneLine(exit)).toMatch(
      /LoRA adapter "bench": .*\(llama\.cpp: .*tensor '[^']+' has incorrect shape \(hint: maybe wrong base model\?\)\)$/,
    );
  }, 30_000);
});

describe("chatwire-server make-model --adapter", () => {
  it("writes the generated adapter next to the model and prints both paths", async () => {
    const out = mkdtempSync(join(directory, "out-"));
    const exit = await run(["make-model", "--adapter", "--out", out]);
    expect(exit.code, exit.stderr).toBe(0);
    expect(exit.stdout).toMatch(
      new RegExp(
        `^wrote ${out}/chatwire-tiny-[0-9a-f]{12}\\.gguf\nwrote ${out}/chatwire-tiny-lora-[0-9a-f]{12}\\.gguf\n$`,
      ),
    );
    const again = await run(["make-model", "--adapter", "--out", out]);
    expect(again.stdout).toBe(exit.stdout.replaceAll("wrote", "already there:"));
  }, 30_000);

  it("is make-model's alone", async () => {
    const exit = await run([...FAST, "--adapter"]);
    expect(exit.code).toBe(2);
    expect(oneLine(exit)).toContain("--adapter applies to make-model only");
  });
});
