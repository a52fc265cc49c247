import { afterEach, describe, expect, it } from "vitest";
import type { SuiteReport } from "../results.js";
import { CHECKS } from "./catalogue.js";
import { runChecks } from "./run-checks.js";
import {
  type FakeBackend,
  hang,
  loginPage,
  onlyUnder,
  startFakeBackend,
  zeroChunkStreams,
} from "./test-fake-backends.js";

const BASE = "http://backend.invalid/gradient";

let backend: FakeBackend | undefined;

afterEach(async () => {
  await backend?.stop();
  backend = undefined;
});

function outcomes(report: SuiteReport): Record<string, string> {
  return Object.fromEntries(report.results.map((result) => [result.id, result.outcome]));
}

describe("runChecks when the backend cannot be used", () => {
  it("stops with one message when the backend is unreachable", async () => {
    const refused: typeof fetch = async () => {
      throw new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:9") });
    };
    const report = await runChecks({ dialect: "gradient", baseURL: BASE, model: "m", fetch: refused });
    expect(report.results).toEqual([]);
    expect(report.unusable).toMatch(/POST http:\/\/backend\.invalid\/gradient\/v1\/chat\/completions/);
    expect(report.unusable).toMatch(/ECONNREFUSED/);
  });

  it("declares a backend that accepts and never answers unusable, naming the probe that hung", async () => {
    backend = await startFakeBackend(hang);
    const report = await runChecks({ dialect: "octoai", baseURL: backend.url, model: "m", timeoutMs: 200 });
    expect(report.results).toEqual([]);
    expect(report.unusable).toMatch(
      /the plain stream and the plain non-streamed reply: POST \S+ had no complete answer within 0\.2 s/,
    );
    expect(report.unusable).toMatch(/did not answer them in time/);
  });

  it("finds no model on a hanging backend after one request, not one per model list", async () => {
    backend = await startFakeBackend(hang);
    const report = await runChecks({ dialect: "gradient", baseURL: `${backend.url}/gradient`, timeoutMs: 200 });
    expect(report.unusable).toMatch(/^could not find a model to check/);
    expect(report.unusable?.match(/no complete answer/g)).toHaveLength(1);
  });

  it("gives one message naming the URL and the 404 for a wrong base-URL prefix", async () => {
    backend = await startFakeBackend(onlyUnder("/right", zeroChunkStreams));
    const report = await runChecks({ dialect: "gradient", baseURL: `${backend.url}/wrong`, model: "m" });
    expect(report.results).toEqual([]);
    expect(report.unusable).toContain(`POST ${backend.url}/wrong/v1/chat/completions`);
    expect(report.unusable).toMatch(/HTTP 404/);
    expect(report.unusable).toMatch(/Is --base-url right\?/);
  });

  it("declares an HTML sign-in page unusable instead of passing checks on it", async () => {
    backend = await startFakeBackend(loginPage);
    const report = await runChecks({ dialect: "gradient", baseURL: backend.url, model: "m" });
    expect(report.results).toEqual([]);
    expect(report.unusable).toMatch(/text\/html/);
  });

  it("asks for --model when no model list answers", async () => {
    const notFound: typeof fetch = async () => new Response("not here", { status: 404 });
    const report = await runChecks({ dialect: "gradient", baseURL: BASE, fetch: notFound });
    expect(report.unusable).toMatch(/backend\.invalid\/v1\/models answered HTTP 404.*--model/);
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
    expect(asked.filter((line) => line.startsWith("POST")).length).toBeGreaterThan(0);
  });
});

describe("runChecks without evidence", () => {
  it("passes no stream check on streams without a chunk: they have no evidence", async () => {
    backend = await startFakeBackend(zeroChunkStreams);
    const report = await runChecks({ dialect: "gradient", baseURL: backend.url, model: "m" });
    expect(report.unusable).toBeUndefined();
    const byId = outcomes(report);
    // What a `[DONE]`-only stream really shows, and what the replies and refusals show.
    const judgeable = new Set([
      "framing.content-type",
      "framing.data-only",
      "framing.done-sentinel",
      "framing.nothing-after-done",
      "usage.total-is-sum",
      "max-tokens.respected",
      "max-tokens.finish-length",
      "response-format.matches-schema",
      "schema.responses",
      "schema.error-bodies",
    ]);
    const passedWithout = Object.entries(byId).filter(
      ([id, outcome]) => outcome === "pass" && !judgeable.has(id) && !id.startsWith("errors."),
    );
    expect(passedWithout).toEqual([]);
    for (const id of [
      "envelope.same-id",
      "finish.exactly-once",
      "schema.chunks",
      "framing.json-events",
      "n.two-choices",
    ]) {
      expect(byId[id], id).toBe("no-evidence");
    }
    const chunkless = report.results.find((result) => result.id === "envelope.same-id");
    expect(chunkless?.got).toBe("the plain stream had 0 chunks");
  });

  it("reports a request that never completes as no evidence, when the first probes answered", async () => {
    const answered = new Set(["plainResponse"]);
    const partly: typeof fetch = (_url, init) => {
      const probe = new Headers(init?.headers).get("x-chatwire-probe") ?? "";
      if (answered.has(probe)) {
        return Promise.resolve(
          Response.json({
            id: "c",
            object: "chat.completion",
            created: 1,
            model: "m",
            choices: [{ index: 0, message: { role: "assistant", content: "Hi there" }, finish_reason: "stop" }],
          }),
        );
      }
      return new Promise((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
      });
    };
    const report = await runChecks({ dialect: "octoai", baseURL: BASE, model: "m", fetch: partly, timeoutMs: 20 });
    const framing = report.results.find((result) => result.id === "framing.done-sentinel");
    expect(framing?.outcome).toBe("no-evidence");
    expect(framing?.got).toMatch(/\(the plain stream\) had no complete answer within/);
    expect(report.results.find((result) => result.id === "schema.responses")?.outcome).toBe("pass");
  });

  it("sends nothing after the run's deadline: the checks left have no evidence", async () => {
    backend = await startFakeBackend(zeroChunkStreams);
    const report = await runChecks({ dialect: "gradient", baseURL: backend.url, model: "m", deadlineMs: 0 });
    expect(report.unusable).toMatch(/was not sent: the run's deadline had passed/);
  });
});

describe("the catalogue", () => {
  it("gives every check the evidence it needs and an impact that matches its severity", () => {
    for (const check of CHECKS) {
      expect(check.needs.length, check.id).toBeGreaterThan(5);
      expect(check.impact.detail.length, check.id).toBeGreaterThan(10);
      // Required only for a spec rule broken or data an SDK of this repository loses.
      expect(check.severity === "required", check.id).toBe(check.impact.kind !== "advice");
    }
  });
});
