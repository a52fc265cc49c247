import type { DialectId } from "@chatwire/core";
import { DEFAULT_MODEL_ID } from "@chatwire/reference-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ReferenceBackend, startReferenceBackend } from "../reference-backend.js";
import type { SuiteReport } from "../results.js";
import { CHECKS } from "./catalogue.js";
import { runChecks } from "./run-checks.js";
import { type MutantProxy, startMutantProxy } from "./test-mutant-proxy.js";
import { mutantCases } from "./test-mutants.js";

let server: ReferenceBackend;
let proxy: MutantProxy;

beforeAll(async () => {
  server = await startReferenceBackend({ gpu: "off" });
  proxy = await startMutantProxy(server.url);
}, 60_000);

afterAll(async () => {
  await proxy?.stop();
  await server?.stop();
});

function failures(report: SuiteReport): string[] {
  return report.results.filter((result) => result.outcome === "fail").map((result) => result.id);
}

function withoutEvidence(report: SuiteReport): string[] {
  return report.results.filter((result) => result.outcome === "no-evidence").map((result) => result.id);
}

function explain(report: SuiteReport): string {
  return report.results
    .filter((result) => result.outcome === "fail" || result.outcome === "no-evidence")
    .map((result) => `${result.id} (${result.outcome}): expected ${result.expected}; got ${result.got}`)
    .join("\n");
}

/** Checks a mutant leaves without evidence, as it takes away what they judge (no sentinel: nothing to follow it). */
const TAKES_EVIDENCE: Record<string, string[]> = {
  "streams end without [DONE]": ["framing.nothing-after-done"],
};

const check = (dialect: DialectId) =>
  runChecks({ dialect, baseURL: `${proxy.url}/${dialect}`, apiKey: server.apiKey, model: DEFAULT_MODEL_ID });

describe("mutant backends", () => {
  it("the proxy alone changes nothing the checks see", { timeout: 120_000 }, async () => {
    proxy.use(undefined);
    const report = await check("gradient");
    expect(failures(report), explain(report)).toEqual([]);
    expect(withoutEvidence(report), explain(report)).toEqual([]);
  });

  const cases = mutantCases(() => server.apiKey, DEFAULT_MODEL_ID);
  it.each(cases)("$deviation trips $caughtBy alone ($dialect)", { timeout: 120_000 }, async (mutant) => {
    proxy.use(mutant.mutant);
    const report = await check(mutant.dialect).finally(() => proxy.use(undefined));
    expect(failures(report), explain(report)).toEqual([mutant.caughtBy]);
    expect(withoutEvidence(report), explain(report)).toEqual(TAKES_EVIDENCE[mutant.deviation] ?? []);
    const failed = report.results.find((result) => result.id === mutant.caughtBy);
    expect(failed?.expected).toBeTruthy();
    expect(failed?.got).toBeTruthy();
  });

  it("has a mutant for every check, each caught by a real one", () => {
    const ids = new Set(cases.map((mutant) => mutant.caughtBy));
    const known = new Set(CHECKS.map((entry) => entry.id));
    for (const id of ids) expect(known.has(id), id).toBe(true);
    expect(CHECKS.map((entry) => entry.id).filter((id) => !ids.has(id))).toEqual([]);
  });
});
