import { type ChildProcess, execFile, spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { helpText } from "./cli/help.js";
import { ensureDefaultModel } from "./model/default-model.js";
import { writeGGUF } from "./model/gguf.js";

// These tests run the built CLI as a child process, as users run it; the build comes first.
const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "dist", "cli.js");
const directory = mkdtempSync(join(tmpdir(), "chatwire-cli-test-"));
const model = ensureDefaultModel(directory).path;
const FAST = ["--gpu", "off", "--threads", "1", "--parallel", "2", "--context", "256"];
const TIMESTAMPED = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (info|warn|error) \S/;

beforeAll(async () => {
  await new Promise<void>((resolve, reject) =>
    execFile(
      process.execPath,
      [join(root, "../../node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"],
      { cwd: root },
      (error, stdout) => (error ? reject(new Error(`the build failed:\n${stdout}`)) : resolve()),
    ),
  );
}, 120_000);
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const children = new Set<ChildProcess>();
const listeners = new Set<Server>();
afterEach(() => {
  for (const child of children) child.kill("SIGKILL");
  children.clear();
  for (const server of listeners) server.close();
  listeners.clear();
});

function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("CHATWIRE_")));
  return { ...clean, CHATWIRE_CACHE_DIR: directory, ...env };
}

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the CLI to its end. */
function run(args: string[], env: Record<string, string> = {}): Promise<Exit> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { env: childEnv(env) });
    children.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (data: Buffer) => (stdout += data));
    child.stderr.on("data", (data: Buffer) => (stderr += data));
    child.on("close", (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
  });
}

/** Starts the CLI and waits until it logs that it listens; gives its url and its output so far. */
function serve(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [cli, ...args], { env: childEnv(env) });
  children.add(child);
  const output = { stdout: "", stderr: "" };
  child.stderr.on("data", (data: Buffer) => (output.stderr += data));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (data: Buffer) => {
      output.stdout += data;
      const match = /listening at (\S+)/.exec(output.stdout);
      if (match) resolve(match[1] as string);
    });
    child.on("exit", (code) => reject(new Error(`exited ${code}: ${output.stdout}${output.stderr}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, url, output, exited };
}

/** A port that something else holds. */
async function takenPort(): Promise<number> {
  const server = createServer();
  listeners.add(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as { port: number }).port;
}

/** One error line, timestamped, without a stack trace. */
function expectOneErrorLine(exit: Exit, pattern: RegExp): void {
  const lines = exit.stderr.trimEnd().split("\n");
  expect(lines, exit.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(TIMESTAMPED);
  expect(lines[0]).toMatch(pattern);
  expect(exit.stdout).toBe("");
}

describe("chatwire-server, the built CLI", () => {
  it("prints the package's version", async () => {
    const exit = await run(["--version"]);
    const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    expect(exit).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: "" });
  });

  it("prints the help", async () => {
    const exit = await run(["--help"]);
    expect(exit).toMatchObject({ code: 0, stdout: helpText(), stderr: "" });
    expect(exit.stdout.split("\n")[0]).toBe("Usage: chatwire-server [options]");
  });

  it("make-model writes the default model at its cache name, --size tiny being the default, then finds it there", async () => {
    const out = mkdtempSync(join(directory, "make-model-"));
    const first = await run(["make-model", "--out", out]);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(`wrote ${join(out, basename(model))}\n`);
    const second = await run(["make-model", "--size", "tiny"], { CHATWIRE_OUT: out });
    expect(second.stdout).toBe(`already there: ${join(out, basename(model))}\n`);
    expect(readFileSync(join(out, basename(model)))).toEqual(readFileSync(model));
  });

  it("refuses an unknown option or a bad value in one line, exit 2", async () => {
    const unknown = await run(["--bogus"]);
    expect(unknown).toMatchObject({
      code: 2,
      stdout: "",
      stderr: "chatwire-server: unknown option --bogus (chatwire-server --help lists the options)\n",
    });
    const port = await run(["--port", "70000"]);
    expect(port).toMatchObject({ code: 2, stdout: "" });
    expect(port.stderr).toBe(
      'chatwire-server: --port takes an integer from 0 to 65535, got "70000" (chatwire-server --help lists the options)\n',
    );
  });

  it("refuses an empty API key from the flag or the environment, exit 2", async () => {
    for (const [args, env] of [
      [["--api-key", ""], {}],
      [[], { CHATWIRE_API_KEY: "" }],
    ] as const) {
      const exit = await run([...args, "--port", "0", ...FAST], env);
      expect(exit.code).toBe(2);
      expect(exit.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(exit.stderr).toMatch(/api-key\)? takes a non-empty key, got "": an empty key would turn auth off/);
    }
  });

  describe("fails on a bad model in one line, exit 1", () => {
    it("a header claiming 2^62 tensors, within a few seconds", async () => {
      const path = join(directory, "huge.gguf");
      const header = Buffer.alloc(24);
      header.write("GGUF", 0, "latin1");
      header.writeUInt32LE(3, 4);
      header.writeBigUInt64LE(1n << 62n, 8);
      writeFileSync(path, header);
      const exit = await run(["--model", path, "--port", "0", ...FAST]);
      expect(exit.code).toBe(1);
      expect(exit.ms).toBeLessThan(5000);
      expectOneErrorLine(
        exit,
        new RegExp(`error chatwire-server: ${path}: header claims 2\\^62 tensors but the file is 24 bytes$`),
      );
    });

    it("a missing file, a file that is not GGUF, a truncated copy of the generated model", async () => {
      const missing = await run(["-m", join(directory, "missing.gguf"), "--port", "0", ...FAST]);
      expect(missing.code).toBe(1);
      expectOneErrorLine(missing, /missing\.gguf: cannot read: ENOENT/);

      const text = join(directory, "notes.gguf");
      writeFileSync(text, "these are not weights\n");
      const notGGUF = await run(["-m", text, "--port", "0", ...FAST]);
      expect(notGGUF.code).toBe(1);
      expectOneErrorLine(notGGUF, /notes\.gguf: not a GGUF file \(magic/);

      const cut = join(directory, "cut.gguf");
      copyFileSync(model, cut);
      truncateSync(cut, Math.floor(readFileSync(model).length / 2));
      const truncated = await run(["-m", cut, "--port", "0", ...FAST]);
      expect(truncated.code).toBe(1);
      expectOneErrorLine(truncated, /cut\.gguf: (truncated|.* claims \d+ items but only)/);
    });

    it("a well-formed GGUF that llama.cpp cannot load", async () => {
      const path = join(directory, "empty-llama.gguf");
      writeFileSync(path, writeGGUF(new Map([["general.architecture", { type: "string", value: "llama" }]]), []));
      const exit = await run(["-m", path, "--port", "0", ...FAST]);
      expect(exit.code).toBe(1);
      const errors = exit.stderr.trimEnd().split("\n");
      expect(errors, exit.stderr).toHaveLength(1);
      expect(errors[0]).toMatch(TIMESTAMPED);
      expect(errors[0]).toContain(`error chatwire-server: could not load ${path}: `);
      // llama.cpp's reason, which node-llama-cpp's error leaves out.
      expect(errors[0]).toMatch(/\(llama\.cpp: .*key not found in model: llama\.context_length\)$/);
    });
  });

  describe("fails to listen in one line, exit 1", () => {
    it("when the port is in use", async () => {
      const port = await takenPort();
      const exit = await run(["--port", String(port), ...FAST]);
      expect(exit.code).toBe(1);
      expectOneErrorLine(
        exit,
        new RegExp(`error chatwire-server: cannot listen on 127\\.0\\.0\\.1:${port}: address already in use$`),
      );
    });

    it("when the host does not resolve", async () => {
      const exit = await run(["--host", "no.such.host.invalid", "--port", "0", ...FAST]);
      expect(exit.code).toBe(1);
      expectOneErrorLine(
        exit,
        /error chatwire-server: cannot listen on no\.such\.host\.invalid:0: host (not found|name lookup failed)$/,
      );
    });
  });

  it("serves with llama-server's spellings and a key from the environment, logs timestamped lines, stops on SIGTERM", async () => {
    const server = serve(["-m", model, "--port", "0", "--gpu", "off", "-t", "1", "-np", "2", "-c", "256"], {
      CHATWIRE_API_KEY: "cw-secret",
    });
    const url = await server.url;
    // -m took effect: the model id is the file's name.
    const listed = await fetch(`${url}/v1/models`);
    expect(((await listed.json()) as { data: { id: string }[] }).data[0]?.id).toBe(basename(model, ".gguf"));

    const chat = (n: number, key?: string) =>
      fetch(`${url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(key && { authorization: `Bearer ${key}` }) },
        body: JSON.stringify({
          model: basename(model, ".gguf"),
          messages: [{ role: "user", content: "Hi" }],
          max_tokens: 2,
          n,
        }),
      });
    // CHATWIRE_API_KEY took effect.
    expect((await chat(1)).status).toBe(401);
    expect((await chat(1, "wrong")).status).toBe(401);
    // -np 2 took effect: two choices fit, three do not.
    expect((await chat(2, "cw-secret")).status).toBe(200);
    expect((await chat(3, "cw-secret")).status).toBe(400);

    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    const lines = `${server.output.stdout}${server.output.stderr}`.trimEnd().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) expect(line).toMatch(TIMESTAMPED);
    expect(server.output.stdout).toContain("info SIGTERM, shutting down");
  });

  it("takes the port from CHATWIRE_PORT, and the command line wins over it", async () => {
    const taken = await takenPort();
    const fromFlag = serve(["--port", "0", ...FAST], { CHATWIRE_PORT: String(taken) });
    expect(await fromFlag.url).not.toContain(`:${taken}`);

    const fromEnv = await run(FAST, { CHATWIRE_PORT: String(taken) });
    expect(fromEnv.code).toBe(1);
    expect(fromEnv.stderr).toContain(`cannot listen on 127.0.0.1:${taken}: address already in use`);
  });
});
