import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { type Fixture, loadFixtures, PACKAGE_DIR } from "../fixture.js";
import { replayWithCommands } from "./replay-with-commands.js";

const all = loadFixtures();

/** The chatwire TypeScript SDKs as a driver program over HTTP, as another language's driver runs. */
function typeScriptDriverProgram(): string {
  const main = join(mkdtempSync(join(tmpdir(), "chatwire-ts-driver-")), "main.mts");
  const module = (name: string) => JSON.stringify(pathToFileURL(join(PACKAGE_DIR, "src", "drivers", name)).href);
  writeFileSync(
    main,
    [
      `import { speakDriverProtocol } from ${module("speak-protocol.ts")};`,
      `import { createTypeScriptDriver } from ${module("typescript-driver.ts")};`,
      'await speakDriverProtocol(createTypeScriptDriver(), { hello: { type: "hello", driver: "typescript over HTTP" } });',
    ].join("\n"),
  );
  return `"${process.execPath}" --import tsx "${main}"`;
}
const pick = (id: string) => all.find((fixture) => `${fixture.dialect}/${fixture.name}` === id) as Fixture;

describe("a driver program over the fixture server", () => {
  const program = typeScriptDriverProgram();
  const octoai = all.filter((fixture) => fixture.dialect === "octoai");

  it("replays every fixture of a dialect over HTTP as in process, beside the in-process driver", {
    timeout: 120_000,
  }, async () => {
    const suites = await replayWithCommands(octoai, ["typescript", program]);
    expect(suites.map((suite) => suite.target)).toEqual(["typescript", "typescript over HTTP"]);
    for (const suite of suites) {
      const failed = suite.results.filter((result) => result.outcome !== "pass");
      expect(failed.map((result) => `${result.id}: ${result.expected} / ${result.got}`)).toEqual([]);
      expect(suite.results).toHaveLength(octoai.length);
    }
  });

  it("reports the request the fixture server refused as the failure, with what differed", {
    timeout: 60_000,
  }, async () => {
    const moved = structuredClone(pick("octoai/stream-basic"));
    moved.request.path = "/v2/chat/completions";
    const [suite] = await replayWithCommands([moved], [program]);
    expect(suite?.results[0]).toMatchObject({
      outcome: "fail",
      expected: "the request the fixture records",
      diff: 'path: expected "/v2/chat/completions", got "/v1/chat/completions"',
    });
  });
});
