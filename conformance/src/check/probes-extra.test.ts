import { DEFAULT_MODEL_ID } from "@chatwire/reference-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECT_IDS } from "../dialect-wire.js";
import { dialectBaseURL, type ReferenceBackend, startReferenceBackend } from "../reference-backend.js";
import { runChecks } from "./run-checks.js";

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

describe("the extra probes against chatwire-server", () => {
  it.each(DIALECT_IDS)("pass every new check, none skipped, for %s", { timeout: 120_000 }, async (dialect) => {
    const report = await runChecks({
      dialect,
      baseURL: dialectBaseURL(server.url, dialect),
      apiKey: server.apiKey,
      model: DEFAULT_MODEL_ID,
    });
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
