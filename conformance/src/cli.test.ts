import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { hang, startFakeBackend } from "./check/test-fake-backends.js";
import { correctAnswers, writeTestDriver } from "./drivers/test-driver-programs.js";
import { loadFixtures, PACKAGE_DIR } from "./fixture.js";

/** Runs the CLI from source, as `node dist/cli.js` would run it built. */
const CLI = ["--import", "tsx", join(PACKAGE_DIR, "src", "cli.ts")];

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [...CLI, ...args], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("chatwire-conformance", () => {
  it("prints its usage with no command", () => {
    const { status, stdout } = cli();
    expect(status).toBe(0);
    expect(stdout).toMatch(/check --dialect D --base-url URL/);
  });

  it("exits 2 naming what is wrong with the arguments", () => {
    expect(cli("check", "--base-url", "http://127.0.0.1:1")).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/--dialect is required/),
    });
    expect(cli("check", "--dialect", "openai", "--base-url", "x")).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/--dialect must be one of octoai, predictionguard, gradient/),
    });
    expect(cli("frobnicate")).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/unknown command "frobnicate"/),
    });
    expect(cli("replay", "--colour")).toMatchObject({ status: 2, stderr: expect.stringMatching(/--colour/) });
  });

  it("replays one dialect's fixtures, with a table, JSON and JUnit", { timeout: 120_000 }, () => {
    const junit = join(mkdtempSync(join(tmpdir(), "junit-")), "replay.xml");
    const table = cli("replay", "--dialect", "octoai", "--junit", junit);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/replay\s+typescript/);
    expect(table.stdout).toMatch(/PASS\s+octoai\/stream-basic/);
    expect(readFileSync(junit, "utf8")).toMatch(/<testcase [^>]*name="octoai\/stream-basic"/);
    const json = cli("replay", "--dialect", "predictionguard", "--json");
    const report = JSON.parse(json.stdout) as { passed: boolean; suites: { target: string }[] };
    expect(report.passed).toBe(true);
    expect(report.suites.map((suite) => suite.target)).toEqual(["typescript"]);
  });

  it("exits 3 with one message for a backend that is not there", { timeout: 120_000 }, () => {
    const { status, stdout, stderr } = cli(
      "check",
      "--dialect",
      "gradient",
      "--base-url",
      "http://127.0.0.1:9",
      "--model",
      "m",
    );
    expect(status, stderr).toBe(3);
    expect(stderr).toMatch(
      /the backend cannot be checked: nothing came back from POST http:\/\/127\.0\.0\.1:9\/v1\/chat\/completions/,
    );
    expect(stdout).toMatch(/unusable:/);
    expect(stdout).not.toMatch(/FAIL\s+framing/);
  });

  it("exits 3 naming the probe a backend that never answers hung on, within --timeout", {
    timeout: 120_000,
  }, async () => {
    const backend = await startFakeBackend(hang);
    try {
      const { status, stderr } = cli(
        "check",
        "--dialect",
        "octoai",
        "--base-url",
        backend.url,
        "--model",
        "m",
        "--timeout",
        "300ms",
        "--json",
      );
      expect(status, stderr).toBe(3);
      expect(stderr).toMatch(
        /the plain stream and the plain non-streamed reply: POST \S+ had no complete answer within 0\.3 s/,
      );
    } finally {
      await backend.stop();
    }
  });

  it("refuses a duration it cannot read with exit 2", () => {
    expect(cli("check", "--dialect", "octoai", "--base-url", "http://127.0.0.1:9", "--timeout", "soon")).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/--timeout must be a positive duration/),
    });
  });
});

describe("chatwire-conformance replay --driver", () => {
  const octoai = loadFixtures().filter((fixture) => fixture.dialect === "octoai");

  it("replays through driver programs beside the in-process one, as a matrix, JSON and HTML", {
    timeout: 120_000,
  }, () => {
    const program = writeTestDriver({
      hello: { type: "hello", driver: "scripted", dialects: ["octoai"] },
      answers: correctAnswers(octoai),
    });
    const html = join(mkdtempSync(join(tmpdir(), "html-")), "report.html");
    const table = cli(
      "replay",
      "--dialect",
      "octoai",
      "--driver",
      "typescript",
      "--driver",
      program.command,
      "--html",
      html,
    );
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^replay {2}2 drivers, \d+ fixtures\n {2}fixture +typescript +scripted\n/);
    expect(table.stdout).toMatch(/octoai\/stream-basic +PASS +PASS/);
    expect(readFileSync(html, "utf8")).toMatch(/^<!doctype html>/);
    const json = cli("replay", "--dialect", "octoai", "--driver", program.command, "--driver", "typescript", "--json");
    const report = JSON.parse(json.stdout) as { passed: boolean; suites: { target: string }[] };
    expect(report.passed).toBe(true);
    expect(report.suites.map((suite) => suite.target)).toEqual(["scripted", "typescript"]);
  });

  it("fails a case a driver crashed on, says why, and exits 1", { timeout: 120_000 }, () => {
    const program = writeTestDriver({ answers: correctAnswers(octoai), misbehave: { "octoai/stream-basic": "crash" } });
    const { status, stdout } = cli("replay", "--dialect", "octoai", "--driver", program.command, "--timeout", "5s");
    expect(status).toBe(1);
    expect(stdout).toMatch(/FAIL {2}octoai\/stream-basic/);
    expect(stdout).toMatch(/exited with code 3 while the case was in flight/);
    expect(stdout).toMatch(/PASS {2}octoai\/completion-basic/);
  });

  it("refuses an empty driver, options of other commands and a bad port with exit 2", () => {
    expect(cli("replay", "--driver", "")).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/--driver needs a command/),
    });
    expect(cli("replay", "--port", "80")).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/--port applies to serve-fixtures, not to replay/),
    });
    expect(cli("record", "--dialect", "octoai", "--html", "x.html")).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/--html applies to all and check and replay/),
    });
    expect(cli("serve-fixtures", "--port", "http")).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/--port must be a whole number from 0 to 65535/),
    });
    expect(cli("serve-fixtures", "--dialect", "openai")).toMatchObject({ status: 2 });
  });
});

describe("chatwire-conformance serve-fixtures", () => {
  it("lists each case's base URL, serves it, and stops on SIGTERM", { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, [...CLI, "serve-fixtures", "--dialect", "gradient", "--port", "0"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const lines = createInterface({ input: child.stdout });
      let baseURL: string | undefined;
      for await (const line of lines) {
        const match = /^gradient\/completion-basic\s+(\S+)$/.exec(line);
        if (match) {
          baseURL = match[1];
          break;
        }
      }
      expect(baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/gradient\/completion-basic$/);
      const answer = await fetch(`${baseURL}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "x" }),
      });
      expect(answer.status).toBe(400);
      expect(await answer.text()).toMatch(/request_mismatch/);
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
