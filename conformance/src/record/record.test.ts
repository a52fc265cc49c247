import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureProblems, readFixture } from "../fixture.js";
import { dialectBaseURL, type ReferenceBackend, startReferenceBackend } from "../reference-backend.js";
import { replayFixtures } from "../replay/replay.js";
import { recordFixtures } from "./record.js";
import type { RecordingCase } from "./recording-cases.js";

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
    expect(readFileSync(join(outDir, "octoai", "stream-one.json"), "utf8")).not.toContain(backend.apiKey);
    expect(stream?.response.body_chunks.join("")).toMatch(/data: \[DONE\]\n\n$/);
    expect(stream?.response.delays_ms).toHaveLength(stream?.response.body_chunks.length ?? -1);
    expect(stream?.expect.chunks?.length).toBeGreaterThan(1);
    expect(stream?.expect.completion).toMatchObject({ object: "chat.completion" });
    expect(refused?.expect.error).toMatchObject({ class: "AuthenticationError", status: 401 });

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
      setTimeout(() => response.end(), 100);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("stores a piece cut inside a character as base64, and a stream without [DONE] as a StreamError", async () => {
    const [fixture] = await recordFixtures({
      dialect: "gradient",
      baseURL,
      cases: [{ name: "cut", description: "Cut.", body: { model: "m", messages: MESSAGES, stream: true } }],
    });
    expect(fixture?.response.body_chunks).toEqual([
      { base64: Buffer.from(bytes.subarray(0, cut)).toString("base64") },
      { base64: Buffer.from(bytes.subarray(cut)).toString("base64") },
    ]);
    expect(fixture?.response.headers["x-api-key"]).toBe("[redacted]");
    expect(fixture?.expect.chunks).toHaveLength(1);
    expect(fixture?.expect.error).toEqual({ class: "StreamError", message_includes: "without [DONE]" });
  });
});
