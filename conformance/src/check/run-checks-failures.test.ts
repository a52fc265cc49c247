import { describe, expect, it } from "vitest";
import { CHECKS } from "./catalogue.js";
import { runChecks } from "./run-checks.js";

const BASE = "http://backend.invalid/gradient";

describe("runChecks when the backend fails", () => {
  it("fails the checks with the network error instead of throwing", async () => {
    const refused: typeof fetch = async () => {
      throw new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:9") });
    };
    const report = await runChecks({ dialect: "gradient", baseURL: BASE, model: "m", fetch: refused });
    expect(report.results).toHaveLength(CHECKS.length);
    const failed = report.results.filter((result) => result.outcome === "fail");
    expect(failed.length).toBeGreaterThan(CHECKS.length / 2);
    for (const result of failed) expect(result.got).toContain("ECONNREFUSED");
    // Without a key there is nothing to tell a wrong key from.
    expect(report.results.find((result) => result.id === "errors.bad-key")?.outcome).toBe("skip");
  });

  it("reports a request that never completes as a timeout", async () => {
    const silent: typeof fetch = (_url, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
      });
    const report = await runChecks({ dialect: "octoai", baseURL: BASE, model: "m", fetch: silent, timeoutMs: 20 });
    const framing = report.results.find((result) => result.id === "framing.done-sentinel");
    expect(framing?.outcome).toBe("fail");
    expect(framing?.got).toMatch(/no complete answer within/);
  });

  it("asks for --model when no model list answers", async () => {
    const notFound: typeof fetch = async () => new Response("not here", { status: 404 });
    await expect(runChecks({ dialect: "gradient", baseURL: BASE, fetch: notFound })).rejects.toThrow(
      /backend\.invalid\/v1\/models answered HTTP 404.*--model/,
    );
  });

  it("takes the first model a list names", async () => {
    const asked: string[] = [];
    const lister: typeof fetch = async (url, init) => {
      asked.push(`${init?.method ?? "GET"} ${String(url)}`);
      if (String(url).endsWith("/models")) return Response.json({ object: "list", data: [{ id: "listed-model" }] });
      return new Response("no", { status: 500 });
    };
    await runChecks({ dialect: "gradient", baseURL: BASE, fetch: lister });
    expect(asked[0]).toBe("GET http://backend.invalid/v1/models");
    const sent = asked.filter((line) => line.startsWith("POST"));
    expect(sent.length).toBeGreaterThan(0);
  });
});
