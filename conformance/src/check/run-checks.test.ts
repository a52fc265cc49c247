import { DEFAULT_MODEL_ID } from "@chatwire/reference-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECT_IDS } from "../dialect-wire.js";
import { dialectBaseURL, type ReferenceBackend, startReferenceBackend } from "../reference-backend.js";
import { CHECKS } from "./catalogue.js";
import { runChecks } from "./run-checks.js";

/** The checks that probe faults of real engines, which chatwire-server must pass without a skip. */
const NEW_CHECKS = [
  "errors.malformed-json",
  "request.null-options",
  "response-format.json-object",
  "tools.required-call",
  "logit-bias.end-token",
  "utf8.partial-character",
  "delta.role-when-first-finishes",
  "stream.incremental",
];

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
    // The probes for faults real engines have (llama-server's) find what they need here: none is skipped.
    const outcomes = Object.fromEntries(
      report.results
        .filter((result) => NEW_CHECKS.includes(result.id))
        .map((result) => [
          result.id,
          `${result.outcome} ${result.expected ?? ""} ${result.got ?? result.note ?? ""}`.trim(),
        ]),
    );
    expect(outcomes).toEqual(Object.fromEntries(NEW_CHECKS.map((id) => [id, "pass"])));
  });

  it("skips the token-id checks, with the reason, against a backend without /tokenize", {
    timeout: 120_000,
  }, async () => {
    const base = dialectBaseURL(server.url, "gradient");
    const withoutTokenize: typeof fetch = (input, init) =>
      String(input).endsWith("/tokenize")
        ? Promise.resolve(new Response("Not Found", { status: 404 }))
        : fetch(input, init);
    const report = await runChecks({
      dialect: "gradient",
      baseURL: base,
      apiKey: server.apiKey,
      model: DEFAULT_MODEL_ID,
      fetch: withoutTokenize,
    });
    for (const id of ["logit-bias.end-token", "utf8.partial-character", "delta.role-when-first-finishes"]) {
      const result = report.results.find((entry) => entry.id === id);
      expect(result?.outcome, id).toBe("skip");
      expect(result?.note).toMatch(/no llama-server `\/tokenize`.*HTTP 404/);
    }
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
