import { beforeAll, describe, expect, it } from "vitest";
import { type Fixture, loadFixtures } from "../fixture.js";
import type { CaseResult } from "../results.js";
import { replayFixtures } from "./replay.js";

const fixtures = loadFixtures();

describe("every fixture replays against its dialect's SDK", () => {
  const results = new Map<string, CaseResult>();
  beforeAll(async () => {
    for (const suite of await replayFixtures(fixtures))
      for (const result of suite.results) results.set(result.id, result);
  }, 120_000);

  it.each(fixtures.map((fixture) => [`${fixture.dialect}/${fixture.name}`]))("%s", (id) => {
    const result = results.get(id);
    expect(result, `no result for ${id}`).toBeDefined();
    const explanation = `${result?.expected} / ${result?.got}\n${result?.diff ?? ""}`;
    expect(result?.outcome, explanation).toBe("pass");
  });
});

describe("the fixture set", () => {
  it("holds at least 40 fixtures over all three dialects, most of them recorded", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(40);
    const dialects = new Set(fixtures.map((fixture) => fixture.dialect));
    expect([...dialects].sort()).toEqual(["gradient", "octoai", "predictionguard"]);
    const recorded = fixtures.filter((fixture) => fixture.source?.kind === "recorded").length;
    expect(recorded * 2).toBeGreaterThan(fixtures.length);
  });

  it("holds llama-server's answers for Gradient and OctoAI, named llama-* and saying where they came from", () => {
    const llama = fixtures.filter((fixture) => fixture.name.startsWith("llama-"));
    expect(new Set(llama.map((fixture) => fixture.dialect))).toEqual(new Set(["gradient", "octoai"]));
    for (const fixture of llama) {
      expect(fixture.source).toMatchObject({
        kind: "recorded",
        backend: expect.stringMatching(/^llama\.cpp llama-server b\d+/),
      });
    }
  });
});

describe("replay fails an SDK outcome that differs from the fixture", () => {
  const [streamed] = fixtures.filter((fixture) => fixture.name === "stream-basic" && fixture.dialect === "gradient");

  async function replayOnly(fixture: Fixture): Promise<CaseResult> {
    const [suite] = await replayFixtures([fixture]);
    return suite?.results[0] as CaseResult;
  }

  it("reports a changed chunk with a diff naming it", async () => {
    const fixture = structuredClone(streamed as Fixture);
    const chunk = fixture.expect.chunks?.[1] as { choices: { delta: { content: string } }[] };
    (chunk.choices[0] as { delta: { content: string } }).delta.content = "not what was sent";
    const result = await replayOnly(fixture);
    expect(result.outcome).toBe("fail");
    expect(result.diff).toContain("not what was sent");
  });

  it("reports an error the fixture does not expect", async () => {
    const fixture = structuredClone(streamed as Fixture);
    fixture.response.body_chunks = fixture.response.body_chunks.slice(0, 2);
    fixture.response.delays_ms = (fixture.response.delays_ms ?? []).slice(0, 2);
    const result = await replayOnly(fixture);
    expect(result.outcome).toBe("fail");
    expect(result.got).toMatch(/StreamError/);
  });

  it("reports a request the SDK sent somewhere else than the fixture records", async () => {
    const fixture = structuredClone(streamed as Fixture);
    fixture.request.path = "/v2/chat/completions";
    const result = await replayOnly(fixture);
    expect(result.outcome).toBe("fail");
    expect(result.expected).toBe("the request the fixture records");
    expect(result.diff).toContain("/v2/chat/completions");
  });
});
