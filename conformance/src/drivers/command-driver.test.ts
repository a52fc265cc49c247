import { afterEach, describe, expect, it } from "vitest";
import { type Fixture, loadFixtures } from "../fixture.js";
import { caseMessage, replayWithDrivers } from "../replay/replay.js";
import type { CaseResult, SuiteReport } from "../results.js";
import { createCommandDriver, DIALECTS_JSON_PATH, driverEnvironment, PYTHON_DRIVER_DIR } from "./command-driver.js";
import type { Driver } from "./protocol.js";
import { caseLineProblems } from "./protocol-lines.js";
import { correctAnswers, type TestDriverScript, writeTestDriver } from "./test-driver-programs.js";

const all = loadFixtures();
const pick = (id: string) => all.find((fixture) => `${fixture.dialect}/${fixture.name}` === id) as Fixture;
// A stream, a plain reply, and a second dialect's error after chunks and its plain stream.
const fixtures = [
  pick("gradient/stream-basic"),
  pick("gradient/completion-basic"),
  pick("octoai/hw-stream-error-event"),
  pick("octoai/stream-basic"),
];
const ids = fixtures.map((fixture) => `${fixture.dialect}/${fixture.name}`);
const BASE_URL = "http://127.0.0.1:9/unused";

const opened: Driver[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((driver) => driver.close()));
});

async function replayThrough(
  script: Partial<TestDriverScript>,
  options: { timeoutMs?: number; command?: string } = {},
): Promise<{ suite: SuiteReport; byId: Map<string, CaseResult>; received: () => unknown[] }> {
  const program = writeTestDriver({ answers: correctAnswers(fixtures), ...script });
  const driver = createCommandDriver({ command: options.command ?? program.command, killGraceMs: 200 });
  opened.push(driver);
  const [suite] = await replayWithDrivers(fixtures, [driver], {
    baseURL: () => BASE_URL,
    timeoutMs: options.timeoutMs ?? 10_000,
  });
  const report = suite as SuiteReport;
  return {
    suite: report,
    byId: new Map(report.results.map((result) => [result.id, result])),
    received: program.received,
  };
}

const outcomes = (suite: SuiteReport) => suite.results.map((result) => [result.id, result.outcome]);

describe("a driver program on the protocol", () => {
  it("passes every case it answers as the fixtures expect, named by its hello", async () => {
    const { suite, received } = await replayThrough({ hello: { type: "hello", driver: "node-test 1.0" } });
    expect(suite.target).toBe("node-test 1.0");
    expect(outcomes(suite)).toEqual(ids.map((id) => [id, "pass"]));
    const lines = received();
    expect(lines).toHaveLength(fixtures.length);
    for (const line of lines) expect(caseLineProblems(line)).toBe("");
    expect(lines[0]).toMatchObject({
      type: "case",
      id: "gradient/stream-basic",
      dialect: "gradient",
      base_url: BASE_URL,
      stream: true,
      request: fixtures[0]?.request.body,
      timeout_ms: 10_000,
    });
  });

  it("is named by its command without a hello", async () => {
    const { suite } = await replayThrough({});
    expect(suite.target).toMatch(/driver\.mjs/);
  });

  it("fails the case it crashed on with the exit code and its stderr, and runs the rest in a new process", async () => {
    const { byId } = await replayThrough({ misbehave: { "gradient/completion-basic": "crash" } });
    const crashed = byId.get("gradient/completion-basic");
    expect(crashed).toMatchObject({
      outcome: "fail",
      expected: expect.stringContaining("a result line for gradient/completion-basic"),
    });
    expect(crashed?.got).toMatch(/exited with code 3 while the case was in flight/);
    expect(crashed?.got).toContain("driver: the SDK blew up on gradient/completion-basic");
    expect(byId.get("gradient/stream-basic")?.outcome).toBe("pass");
    expect(byId.get("octoai/hw-stream-error-event")?.outcome).toBe("pass");
    expect(byId.get("octoai/stream-basic")?.outcome).toBe("pass");
  });

  it("stops a driver that does not answer in time, fails that case, and goes on", { timeout: 60_000 }, async () => {
    const { byId } = await replayThrough(
      { misbehave: { "gradient/stream-basic": "hang", "octoai/hw-stream-error-event": "hang-ignoring-sigterm" } },
      { timeoutMs: 500 },
    );
    for (const id of ["gradient/stream-basic", "octoai/hw-stream-error-event"]) {
      expect(byId.get(id)).toMatchObject({ outcome: "fail", got: expect.stringMatching(/^no result within 500 ms/) });
    }
    expect(byId.get("gradient/completion-basic")?.outcome).toBe("pass");
    expect(byId.get("octoai/stream-basic")?.outcome).toBe("pass");
  });

  it("fails a case answered with a line that is not protocol JSON, quoting it, and restarts", async () => {
    const { byId } = await replayThrough({
      misbehave: { "gradient/stream-basic": "garbage", "octoai/hw-stream-error-event": "bad-schema" },
    });
    expect(byId.get("gradient/stream-basic")?.got).toBe(
      'a line that is not JSON: "Traceback (most recent call last): not a protocol line" (nothing on stderr)',
    );
    expect(byId.get("octoai/hw-stream-error-event")?.got).toMatch(
      /^a result line that breaks driver-protocol\.schema\.json \(\/chunks must be array\): "\{\\"type\\":\\"result\\"/,
    );
    expect(byId.get("gradient/completion-basic")?.outcome).toBe("pass");
    expect(byId.get("octoai/stream-basic")?.outcome).toBe("pass");
  });

  it("fails a result for another case than the one in flight, and a second hello", async () => {
    const { byId } = await replayThrough({
      hello: { type: "hello", driver: "first" },
      misbehave: { "gradient/completion-basic": "wrong-id", "octoai/stream-basic": "hello-again" },
    });
    expect(byId.get("octoai/stream-basic")?.got).toMatch(/^a second hello line \(a hello comes first, once\)/);
    expect(byId.get("gradient/completion-basic")?.got).toMatch(
      /^a result for "gradient\/completion-basic-other" instead/,
    );
    expect(byId.get("octoai/hw-stream-error-event")?.outcome).toBe("pass");
  });

  it("skips the dialects its hello does not list, and what it says it cannot call", async () => {
    const { suite, received } = await replayThrough({
      hello: { type: "hello", driver: "octoai only", dialects: ["octoai"] },
      misbehave: { "octoai/stream-basic": "skip" },
    });
    expect(outcomes(suite)).toEqual([
      ["gradient/stream-basic", "skip"],
      ["gradient/completion-basic", "skip"],
      ["octoai/hw-stream-error-event", "pass"],
      ["octoai/stream-basic", "skip"],
    ]);
    expect(suite.results[1]?.note).toBe("the driver speaks only octoai (its hello says so)");
    expect(suite.results[3]?.note).toBe("the SDK has no such method");
    // The first case goes out before the hello is read; none of that dialect after it.
    expect(received().map((line) => (line as { id: string }).id)).toEqual([
      "gradient/stream-basic",
      "octoai/hw-stream-error-event",
      "octoai/stream-basic",
    ]);
  });

  it("reports a command that cannot start as unusable, naming the exit code and stderr", async () => {
    const { suite } = await replayThrough({}, { command: "chatwire-no-such-driver --flag" });
    expect(suite.results).toEqual([]);
    expect(suite.unusable).toMatch(/exited on each of the first 3 cases without answering one/);
    expect(suite.unusable).toMatch(/exited with code 127/);
    expect(suite.unusable).toMatch(/not found/);
  });

  it("closes a driver that lingers after its stdin ends", { timeout: 30_000 }, async () => {
    const program = writeTestDriver({ answers: correctAnswers(fixtures), lingerAfterStdin: true });
    const driver = createCommandDriver({ command: program.command, killGraceMs: 100, exitTimeoutMs: 200 });
    const [suite] = await replayWithDrivers(fixtures.slice(0, 1), [driver], { baseURL: () => BASE_URL });
    expect(suite?.results[0]?.outcome).toBe("pass");
    await driver.close();
  });
});

describe("the driver's environment", () => {
  it("puts the package's Python kit first on PYTHONPATH and names dialects.json", () => {
    const env = driverEnvironment({}, { PYTHONPATH: "/elsewhere", HOME: "/home/x" });
    expect(env.PYTHONPATH?.split(":")).toEqual([PYTHON_DRIVER_DIR, "/elsewhere"]);
    expect(env.CHATWIRE_DIALECTS_JSON).toBe(DIALECTS_JSON_PATH);
    expect(DIALECTS_JSON_PATH).toMatch(/dialects\.json$/);
    expect(env.HOME).toBe("/home/x");
    expect(driverEnvironment({}, {}).PYTHONPATH).toBe(PYTHON_DRIVER_DIR);
  });
});

describe("case lines", () => {
  it("carry the fixture's optional fields when it has some", () => {
    const recorded = pick("gradient/stream-basic");
    const fixture = { ...recorded, request: { ...recorded.request, optional_for_drivers: ["seed"] } };
    const message = caseMessage(fixture, BASE_URL, 1500);
    expect(message.optional_fields).toEqual(["seed"]);
    expect(caseLineProblems(message)).toBe("");
  });
});
