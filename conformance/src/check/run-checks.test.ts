import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECT_IDS } from "../dialect-wire.js";
import { dialectBaseURL, type ReferenceBackend, startReferenceBackend } from "../reference-backend.js";
import { CHECKS } from "./catalogue.js";
import { runChecks } from "./run-checks.js";

let server: ReferenceBackend;

beforeAll(async () => {
  server = await startReferenceBackend({ gpu: "off" });
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

describe("runChecks against the reference server", () => {
  it.each(DIALECT_IDS)("passes every check for %s", { timeout: 120_000 }, async (dialect) => {
    const progress: string[] = [];
    const report = await runChecks({
      dialect,
      baseURL: dialectBaseURL(server.url, dialect),
      apiKey: server.apiKey,
      onProgress: (_done, _total, id) => progress.push(id),
    });
    expect(report.kind).toBe("check");
    expect(report.target).toBe(`${dialect} at ${dialectBaseURL(server.url, dialect)}`);
    expect(report.results.map((result) => result.id)).toEqual(CHECKS.map((check) => check.id));
    expect(progress).toEqual(CHECKS.map((check) => check.id));
    const failures = report.results.filter((result) => result.outcome === "fail" || result.outcome === "no-evidence");
    const skips = report.results
      .filter((result) => result.outcome === "skip")
      .map((result) => `${result.id}: ${result.note}`);
    expect(failures, `skipped: ${skips.join(" | ")}`).toEqual([]);
  });
});

describe("the catalogue", () => {
  it("has unique ids, each with a severity and a one-line rationale", () => {
    const ids = CHECKS.map((check) => check.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const check of CHECKS) {
      expect(check.id).toMatch(/^[a-z0-9-]+\.[a-z0-9-]+$/);
      expect(["required", "recommended"]).toContain(check.severity);
      expect(check.rationale).not.toMatch(/\n/);
      expect(check.rationale.length).toBeGreaterThan(20);
    }
  });
});
