import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hang, startFakeBackend } from "./check/test-fake-backends.js";
import { PACKAGE_DIR } from "./fixture.js";

/** Runs the CLI from source, as `node dist/cli.js` would run it built. */
function cli(...args: string[]) {
  const result = spawnSync(process.execPath, ["--import", "tsx", join(PACKAGE_DIR, "src", "cli.ts"), ...args], {
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
    expect(table.stdout).toMatch(/replay\s+@chatwire\/octoai/);
    expect(table.stdout).toMatch(/PASS\s+octoai\/stream-basic/);
    expect(readFileSync(junit, "utf8")).toMatch(/<testcase [^>]*name="octoai\/stream-basic"/);
    const json = cli("replay", "--dialect", "predictionguard", "--json");
    const report = JSON.parse(json.stdout) as { passed: boolean; suites: { target: string }[] };
    expect(report.passed).toBe(true);
    expect(report.suites.map((suite) => suite.target)).toEqual(["@chatwire/predictionguard"]);
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
