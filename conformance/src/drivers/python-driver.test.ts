import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadFixtures, PACKAGE_DIR } from "../fixture.js";
import { replayWithDrivers } from "../replay/replay.js";
import type { SuiteReport } from "../results.js";
import { type FixtureServer, startFixtureServer } from "../serve/fixture-server.js";
import { createCommandDriver, driverEnvironment, PYTHON_DRIVER_DIR } from "./command-driver.js";
import type { Driver } from "./protocol.js";

const PYTHON = "python3";
const hasPython = spawnSync(PYTHON, ["--version"], { encoding: "utf8" }).status === 0;
/** Runs the CLI from source, as `node dist/cli.js` would run it built. */
const CLI = ["--import", "tsx", join(PACKAGE_DIR, "src", "cli.ts")];

function cli(...args: string[]) {
  return spawnSync(process.execPath, [...CLI, ...args], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", PYTHONDONTWRITEBYTECODE: "1" },
    timeout: 120_000,
  });
}

function pythonHasModule(name: string): boolean {
  const code = `import importlib.util, sys; sys.exit(0 if importlib.util.find_spec(${JSON.stringify(name)}) else 1)`;
  return spawnSync(PYTHON, ["-c", code]).status === 0;
}

describe.skipIf(!hasPython)("the Python driver kit (python3 -m chatwire_driver)", () => {
  it("passes its own unittest suites (SSE reader, protocol loop, reference driver, SDK adapters)", () => {
    const run = spawnSync(
      PYTHON,
      ["-m", "unittest", "discover", "-s", join(PYTHON_DRIVER_DIR, "tests"), "-t", PYTHON_DRIVER_DIR],
      // Bytecode caches stay out of the package directory, which is published.
      { encoding: "utf8", env: { ...driverEnvironment(), PYTHONDONTWRITEBYTECODE: "1" }, timeout: 120_000 },
    );
    expect(run.error).toBeUndefined();
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stderr).toMatch(/\nOK\b/);
  }, 150_000);

  describe("the reference driver over the fixture server", () => {
    const fixtures = loadFixtures();
    let server: FixtureServer;
    let driver: Driver;
    let suite: SuiteReport;

    beforeAll(async () => {
      server = await startFixtureServer({ fixtures });
      driver = createCommandDriver({
        command: `${PYTHON} -m chatwire_driver reference`,
        env: { PYTHONDONTWRITEBYTECODE: "1" },
      });
      [suite] = (await replayWithDrivers(fixtures, [driver], { baseURL: (fixture) => server.baseURL(fixture) })) as [
        SuiteReport,
      ];
    }, 240_000);

    afterAll(async () => {
      await driver?.close();
      await server?.close();
    });

    it("names itself by its hello", () => {
      expect(suite.target).toBe("python-reference");
      expect(suite.unusable).toBeUndefined();
    });

    it("passes every fixture of every dialect", () => {
      expect(suite.results).toHaveLength(fixtures.length);
      const failed = suite.results
        .filter((result) => result.outcome !== "pass")
        .map((result) => `${result.id}: ${result.outcome}: expected ${result.expected}; got ${result.got}`);
      expect(failed).toEqual([]);
    });
  });

  describe("through chatwire-conformance replay --driver", () => {
    it("passes every fixture with the reference driver", { timeout: 150_000 }, () => {
      const run = cli("replay", "--driver", `${PYTHON} -m chatwire_driver reference`, "--json");
      expect(run.status, run.stderr).toBe(0);
      const report = JSON.parse(run.stdout) as { passed: boolean; suites: SuiteReport[] };
      expect(report.passed).toBe(true);
      expect(report.suites.map((entry) => [entry.target, entry.results.length])).toEqual([
        ["python-reference", loadFixtures().length],
      ]);
    });

    it.skipIf(pythonHasModule("gradient"))(
      "reports an adapter whose SDK is missing as unusable, saying what to install",
      { timeout: 150_000 },
      () => {
        const run = cli("replay", "--dialect", "gradient", "--driver", `${PYTHON} -m chatwire_driver gradient`);
        expect(run.status).toBe(3);
        expect(run.stdout).toMatch(/unusable/);
        expect(run.stdout.replace(/\s+/g, " ")).toMatch(/pip install gradient/);
      },
    );
  });
});
