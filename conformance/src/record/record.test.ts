import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureProblems, readFixture } from "../fixture.js";
import { dialectBaseURL, type ReferenceBackend, startReferenceBackend } from "../reference-backend.js";
import { replayFixtures } from "../replay/replay.js";
import { RecordingRefused, recordFixtures } from "./record.js";
import { type RecordingCase, readRecordingCases } from "./recording-cases.js";

const MESSAGES = [{ role: "user", content: "Tell me about the sea." }];

describe("recording from the reference server", () => {
  let backend: ReferenceBackend;
  beforeAll(async () => {
    backend = await startReferenceBackend({ gpu: "off" });
  }, 60_000);
  afterAll(() => backend?.stop());

  it("writes valid fixtures that replay against the SDK, with the key redacted", async () => {
    const outDir = mkdtempSync(join(tmpdir(), "recorded-"));
    const cases: RecordingCase[] = [
      {
        name: "stream-one",
        description: "A stream.",
        body: { model: backend.modelId, messages: MESSAGES, stream: true, max_tokens: 6, temperature: 0, seed: 1 },
      },
      {
        name: "refused",
        description: "A bad key.",
        body: { model: backend.modelId, messages: MESSAGES },
        api_key: "nope",
        expect_status: 401,
      },
    ];
    const fixtures = await recordFixtures({
      dialect: "octoai",
      baseURL: dialectBaseURL(backend.url, "octoai"),
      apiKey: backend.apiKey,
      cases,
      outDir,
    });
    for (const fixture of fixtures) expect(fixtureProblems(fixture)).toEqual([]);
    const [stream, refused] = fixtures.map((fixture) => readFixture(join(outDir, "octoai", `${fixture.name}.json`)));
    expect(stream?.request.headers.authorization).toBe("Bearer [redacted]");
    expect(stream?.request.optional_for_drivers).toEqual(["seed"]);
    expect(refused?.request.optional_for_drivers).toBeUndefined();
    expect(readFileSync(join(outDir, "octoai", "stream-one.json"), "utf8")).not.toContain(backend.apiKey);
    expect(stream?.response.body_chunks.join("")).toMatch(/data: \[DONE\]\n\n$/);
    expect(stream?.response.delays_ms).toHaveLength(stream?.response.body_chunks.length ?? -1);
    expect(stream?.expect.chunks?.length).toBeGreaterThan(1);
    expect(stream?.expect.completion).toMatchObject({ object: "chat.completion" });
    expect(refused?.expect.error).toMatchObject({
      kind: "authentication",
      status: 401,
      typescript: { class: "AuthenticationError" },
    });
    expect(refused?.expect.error?.message_includes).toMatch(/\S/);

    const [suite] = await replayFixtures(fixtures);
    expect(suite?.results.map((result) => [result.id, result.outcome])).toEqual([
      ["octoai/stream-one", "pass"],
      ["octoai/refused", "pass"],
    ]);
  });
});

describe("recording keeps the bytes as they arrived", () => {
  let server: Server;
  let baseURL: string;
  const bytes = new TextEncoder().encode(
    'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"café"},"finish_reason":null}]}\n\n',
  );
  const cut = bytes.indexOf(0xc3) + 1;
  beforeAll(async () => {
    server = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream", "x-api-key": "secret" });
      response.write(bytes.subarray(0, cut));
      // Pauses keep the pieces apart on the wire; without them the socket may merge writes.
      setTimeout(() => response.write(bytes.subarray(cut)), 50);
      setTimeout(() => response.end("data: [DONE]\n\n"), 100);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("stores a piece cut inside a character as base64", async () => {
    const [fixture] = await recordFixtures({
      dialect: "gradient",
      baseURL,
      cases: [{ name: "cut", description: "Cut.", body: { model: "m", messages: MESSAGES, stream: true } }],
    });
    expect(fixture?.response.body_chunks.slice(0, 2)).toEqual([
      { base64: Buffer.from(bytes.subarray(0, cut)).toString("base64") },
      { base64: Buffer.from(bytes.subarray(cut)).toString("base64") },
    ]);
    expect(fixture?.response.headers["x-api-key"]).toBe("[redacted]");
    expect(fixture?.expect.chunks).toHaveLength(1);
    expect(fixture?.expect.completion).toMatchObject({ choices: [{ message: { content: "café" } }] });
  });
});

describe("recording what replaying needs", () => {
  const completion = {
    id: "c1",
    object: "chat.completion",
    created: 1,
    model: "m",
    choices: [{ index: 0, message: { role: "assistant", content: "hello" }, finish_reason: "stop" }],
  };
  let server: Server;
  let baseURL: string;
  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      response.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      response.end(gzipSync(JSON.stringify(completion)));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("marks the fields an official SDK's method lacks, and only those the body has", async () => {
    const fixtures = await recordFixtures({
      dialect: "predictionguard",
      baseURL,
      cases: [
        { name: "seeded", description: "Seeded.", body: { model: "m", messages: MESSAGES, n: 1, seed: 7 } },
        { name: "plain", description: "Plain.", body: { model: "m", messages: MESSAGES, temperature: 0 } },
      ],
    });
    expect(fixtures.map((fixture) => fixture.request.optional_for_drivers)).toEqual([["n", "seed"], undefined]);
    for (const fixture of fixtures) expect(fixtureProblems(fixture)).toEqual([]);
  });

  it("keeps the body fetch decoded without the content-encoding that no longer describes it", async () => {
    const [fixture] = await recordFixtures({
      dialect: "gradient",
      baseURL,
      cases: [{ name: "gzipped", description: "Gzipped.", body: { model: "m", messages: MESSAGES } }],
    });
    expect(fixture?.response.headers).toEqual({ "content-type": "application/json" });
    expect(fixture?.response.body_chunks.join("")).toBe(JSON.stringify(completion));
  });
});

/** A backend that answers every request 200 with one completion, as llama-server does an unknown model. */
function answersEverythingOK(): Promise<{ baseURL: string; close: () => Promise<void> }> {
  const completion = {
    id: "c1",
    object: "chat.completion",
    created: 1,
    model: "m",
    choices: [{ index: 0, message: { role: "assistant", content: "hello" }, finish_reason: "stop" }],
  };
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      const body = request.url?.includes("truncated")
        ? 'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[]}\n\n'
        : JSON.stringify(completion);
      response.writeHead(200, {
        "content-type": request.url?.includes("truncated") ? "text/event-stream" : "application/json",
      });
      response.end(body);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    ),
  );
}

describe("recording refuses an answer that contradicts its case", () => {
  it("writes nothing for an unknown model or a bad key answered 200, nor for a stream answered with JSON", async () => {
    const backend = await answersEverythingOK();
    const outDir = mkdtempSync(join(tmpdir(), "refused-"));
    const body = { model: "m", messages: MESSAGES };
    const cases: RecordingCase[] = [
      { name: "completion-basic", description: "A reply.", body },
      { name: "error-unknown-model", description: "404.", body: { ...body, model: "nope" }, expect_status: "4xx" },
      { name: "error-bad-key", description: "401.", body, api_key: "wrong", expect_status: 401 },
      { name: "stream-basic", description: "A stream.", body: { ...body, stream: true } },
      { name: "completion-tool-call", description: "A tool call.", body, expect_finish_reason: "tool_calls" },
    ];
    try {
      const failure = await recordFixtures({ dialect: "gradient", baseURL: backend.baseURL, cases, outDir }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(RecordingRefused);
      const refusal = failure as RecordingRefused;
      expect(refusal.refused.map(({ name }) => name)).toEqual([
        "error-unknown-model",
        "error-bad-key",
        "stream-basic",
        "completion-tool-call",
      ]);
      expect(refusal.refused[0]?.reason).toMatch(/expects a 4xx answer, but the backend answered 200/);
      expect(refusal.refused[1]?.reason).toMatch(/expects a 401 answer, but the backend answered 200/);
      expect(refusal.refused[2]?.reason).toMatch(/streams .* application\/json, not text\/event-stream/);
      expect(refusal.refused[3]?.reason).toMatch(
        /finish_reason "tool_calls", but the answer's choices end with "stop"/,
      );
      expect(refusal.message).toMatch(/^refused 4 of 5 cases/);
      expect(refusal.fixtures.map(({ name }) => name)).toEqual(["completion-basic"]);
      expect(existsSync(join(outDir, "gradient", "completion-basic.json"))).toBe(true);
      for (const name of ["error-unknown-model", "error-bad-key", "stream-basic", "completion-tool-call"])
        expect(existsSync(join(outDir, "gradient", `${name}.json`))).toBe(false);
    } finally {
      await backend.close();
    }
  });

  it("refuses a stream that ends without its sentinel where the case expects success", async () => {
    const backend = await answersEverythingOK();
    try {
      const failure = await recordFixtures({
        dialect: "gradient",
        baseURL: `${backend.baseURL}/truncated`,
        cases: [
          { name: "stream-basic", description: "A stream.", body: { model: "m", messages: MESSAGES, stream: true } },
        ],
      }).catch((error: unknown) => error);
      expect((failure as RecordingRefused).refused[0]?.reason).toMatch(/ends in an error \(truncated\) after 1 chunks/);
    } finally {
      await backend.close();
    }
  });
});

describe("a cases file", () => {
  it("takes the answer a case expects, and refuses one that names none", () => {
    const dir = mkdtempSync(join(tmpdir(), "cases-"));
    const write = (cases: unknown) => {
      const path = join(dir, "cases.json");
      writeFileSync(path, JSON.stringify(cases));
      return path;
    };
    const base = { name: "error-bad-key", description: "401.", body: { model: "m" } };
    expect(readRecordingCases(write([{ ...base, expect_status: 401, expect_finish_reason: "stop" }]))).toEqual([
      { ...base, expect_status: 401, expect_finish_reason: "stop" },
    ]);
    expect(() => readRecordingCases(write([{ ...base, expect_status: "401" }]))).toThrow(/"expect_status" must be/);
    expect(() => readRecordingCases(write([{ ...base, expect_finish_reason: 1 }]))).toThrow(/"expect_finish_reason"/);
  });
});
