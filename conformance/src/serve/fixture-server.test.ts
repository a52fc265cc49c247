import { Agent } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chunkBytes, type Fixture, loadFixtures } from "../fixture.js";
import { compareOutcome } from "../replay/compare.js";
import { driveSDK } from "../replay/sdk-drivers.js";
import { type FixtureServer, startFixtureServer } from "./fixture-server.js";
import { MAX_REQUEST_BODY_BYTES } from "./read-json-body.js";
import { exchange, postJSON } from "./test-exchange.js";

const CHAT_BODY = {
  model: "m",
  messages: [{ role: "user", content: "Tell me about the sea." }],
  temperature: 0,
  seed: 7,
  max_tokens: 8,
};

function chunkEvent(content: string): string {
  return `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
}

/** A Gradient case answered by `response`, its body `CHAT_BODY` with `seed` optional. */
function fixtureWith(
  name: string,
  response: Partial<Fixture["response"]>,
  body: Record<string, unknown> = {},
): Fixture {
  return {
    name,
    dialect: "gradient",
    description: `The ${name} case.`,
    request: {
      method: "POST",
      path: "/v1/chat/completions",
      headers: { "content-type": "application/json" },
      body: { ...CHAT_BODY, ...body },
      optional_for_drivers: ["seed"],
    },
    response: { status: 200, headers: { "content-type": "application/json" }, body_chunks: ["{}"], ...response },
    expect: { completion: {} },
  };
}

// A cut inside "é" makes the second piece base64: bytes, not text, must go out as recorded.
const accented = new TextEncoder().encode(chunkEvent("café"));
const cut = accented.indexOf(0xc3) + 1;
const paced = fixtureWith(
  "stream-paced",
  {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" },
    body_chunks: [
      chunkEvent("The"),
      { base64: Buffer.from(accented.subarray(0, cut)).toString("base64") },
      { base64: Buffer.from(accented.subarray(cut)).toString("base64") },
      "data: [DONE]\n\n",
    ],
    delays_ms: [0, 300, 150, 150],
  },
  { stream: true },
);
const reset = fixtureWith(
  "stream-reset",
  {
    headers: { "content-type": "text/event-stream" },
    body_chunks: [chunkEvent("The"), chunkEvent(" sea")],
    delays_ms: [0, 100],
    ends: "reset",
  },
  { stream: true },
);
const framed = fixtureWith("completion-framed", {
  // Headers of the connection it was written from: they must not frame this one.
  headers: { "content-type": "application/json", "content-length": "999", "transfer-encoding": "chunked" },
  body_chunks: ['{"id":"c1",', '"object":"chat.completion"}'],
});
const rateLimited = fixtureWith("error-rate-limited", {
  status: 429,
  headers: { "content-type": "application/json", "retry-after": "7" },
  body_chunks: ['{"error":{"message":"slow down","type":"rate_limit"}}'],
});
const predictionGuard: Fixture = {
  ...fixtureWith("completion-basic", {}),
  dialect: "predictionguard",
  request: { ...fixtureWith("x", {}).request, path: "/chat/completions" },
};
const served = [paced, reset, framed, rateLimited, predictionGuard];

function recordedBytes(fixture: Fixture): Buffer {
  return Buffer.concat(fixture.response.body_chunks.map(chunkBytes));
}

const jsonHeaders = { "content-type": "application/json" };

describe("the fixture server", () => {
  let server: FixtureServer;
  const urlOf = (fixture: Fixture) => `${server.baseURL(fixture)}${fixture.request.path}`;
  beforeAll(async () => {
    server = await startFixtureServer({ fixtures: served });
  });
  afterAll(() => server?.close());

  it("serves a case under /<dialect>/<name>, as a base URL the SDKs append their chat path to", () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.baseURL(paced)).toBe(`${server.url}/gradient/stream-paced`);
    expect(() => server.baseURL(fixtureWith("not-served", {}))).toThrow(/does not serve gradient\/not-served/);
  });

  it("sends a stream's bytes exactly as recorded, each piece its own read after its recorded delay", async () => {
    const answer = await exchange(urlOf(paced), { headers: jsonHeaders, body: JSON.stringify(paced.request.body) });
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
    expect(answer.headers["cache-control"]).toBe("no-cache");
    expect(answer.ending).toBe("end");
    expect(answer.pieces.map((piece) => piece.bytes)).toEqual(
      paced.response.body_chunks.map(chunkBytes).map(Buffer.from),
    );
    // Lower bounds only, with room to spare: a loaded machine is slower, never faster.
    const [, second, third, fourth] = answer.pieces.map((piece) => piece.atMs);
    expect(second).toBeGreaterThanOrEqual(250);
    expect(third).toBeGreaterThanOrEqual(400);
    expect(fourth).toBeGreaterThanOrEqual(550);
  });

  it("frames the recorded body itself, whatever content-length or transfer-encoding was recorded", async () => {
    const answer = await exchange(urlOf(framed), { headers: jsonHeaders, body: JSON.stringify(framed.request.body) });
    expect(answer.ending).toBe("end");
    expect(Buffer.concat(answer.pieces.map((piece) => piece.bytes))).toEqual(recordedBytes(framed));
    expect(answer.headers["content-length"]).not.toBe("999");
  });

  it("answers an error status with its recorded headers and body", async () => {
    const answer = await exchange(urlOf(rateLimited), {
      headers: jsonHeaders,
      body: JSON.stringify(rateLimited.request.body),
    });
    expect(answer.status).toBe(429);
    expect(answer.headers["retry-after"]).toBe("7");
    expect(Buffer.concat(answer.pieces.map((piece) => piece.bytes))).toEqual(recordedBytes(rateLimited));
  });

  it("resets the connection after the last piece of a fixture that ends in a reset", async () => {
    const answer = await exchange(urlOf(reset), { headers: jsonHeaders, body: JSON.stringify(reset.request.body) });
    expect(Buffer.concat(answer.pieces.map((piece) => piece.bytes))).toEqual(recordedBytes(reset));
    expect(answer.ending).toBe("ECONNRESET");
  });

  it("answers one case any number of times, at once", async () => {
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        exchange(urlOf(framed), { headers: jsonHeaders, body: JSON.stringify(framed.request.body) }),
      ),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(Buffer.concat(answer.pieces.map((piece) => piece.bytes))).toEqual(recordedBytes(framed));
    }
  });

  describe("a request that is not the recorded one gets a 400 naming what differs", () => {
    it("a body field with another value", async () => {
      const { status, json } = await postJSON(urlOf(framed), { ...CHAT_BODY, temperature: 0.7 });
      expect(status).toBe(400);
      expect(json).toMatchObject({
        code: "request_mismatch",
        case: "gradient/completion-framed",
        differences: [{ field: "body.temperature", expected: 0, got: 0.7 }],
      });
      expect((json.error as { message: string }).message).toContain("body.temperature: expected 0, got 0.7");
    });

    it("a value deep inside the body", async () => {
      const messages = [{ role: "user", content: "Tell me about the moon." }];
      const { json } = await postJSON(urlOf(framed), { ...CHAT_BODY, messages });
      expect(json.differences).toEqual([
        { field: "body.messages[0].content", expected: "Tell me about the sea.", got: "Tell me about the moon." },
      ]);
    });

    it("a missing field", async () => {
      const { max_tokens: _, ...withoutLimit } = CHAT_BODY;
      const { status, json } = await postJSON(urlOf(framed), withoutLimit);
      expect(status).toBe(400);
      expect(json.differences).toEqual([{ field: "body.max_tokens", expected: 8, missing: true }]);
      expect((json.error as { message: string }).message).toContain("body.max_tokens: expected 8, got nothing");
    });

    it("another path, with the base URL to use", async () => {
      const { status, json } = await postJSON(`${server.baseURL(framed)}/chat/completions`, CHAT_BODY);
      expect(status).toBe(400);
      expect(json.differences).toEqual([{ field: "path", expected: "/v1/chat/completions", got: "/chat/completions" }]);
      expect((json.error as { message: string }).message).toContain(`base URL ${server.baseURL(framed)}`);
    });

    it("another method", async () => {
      const response = await fetch(urlOf(framed));
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ differences: [{ field: "method", expected: "POST", got: "GET" }] });
    });

    it("a body that is not JSON", async () => {
      const response = await fetch(urlOf(framed), { method: "POST", headers: jsonHeaders, body: '{"model": "m",' });
      expect(response.status).toBe(400);
      const json = (await response.json()) as { code: string; error: { message: string } };
      expect(json.code).toBe("invalid_json");
      expect(json.error.message).toMatch(/not JSON \(.+\); send the chat request as a JSON object/);
    });

    it("in the dialect's error shape: a string for Prediction Guard", async () => {
      const { status, json } = await postJSON(urlOf(predictionGuard), { ...CHAT_BODY, temperature: 1 });
      expect(status).toBe(400);
      expect(json.error).toEqual(expect.stringContaining("body.temperature: expected 0, got 1"));
    });
  });

  it("keeps the connection for the next request after refusing one unread", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      // Larger than node buffers unasked, so the refused body has to be read off the wire after the answer.
      const padded = JSON.stringify({ ...CHAT_BODY, padding: "x".repeat(256 * 1024) });
      const refusals = [
        { url: `${server.baseURL(framed)}/chat/completions`, headers: jsonHeaders, status: 400 },
        { url: urlOf(framed), headers: { "content-type": "text/plain" }, status: 415 },
        { url: `${server.url}/gradient/no-such-case/v1/chat/completions`, headers: jsonHeaders, status: 404 },
      ];
      for (const refusal of refusals) {
        const refused = await exchange(refusal.url, { agent, headers: refusal.headers, body: padded });
        expect(refused.status).toBe(refusal.status);
        const next = await exchange(urlOf(framed), { agent, headers: jsonHeaders, body: JSON.stringify(CHAT_BODY) });
        expect(next.status).toBe(200);
        expect(next.reusedConnection).toBe(true);
      }
    } finally {
      agent.destroy();
    }
  });

  describe("a field the fixture marks optional for drivers", () => {
    it("may be left out", async () => {
      const { seed: _, ...withoutSeed } = CHAT_BODY;
      const answer = await exchange(urlOf(framed), { headers: jsonHeaders, body: JSON.stringify(withoutSeed) });
      expect(answer.status).toBe(200);
      expect(Buffer.concat(answer.pieces.map((piece) => piece.bytes))).toEqual(recordedBytes(framed));
    });

    it("must have the recorded value when sent", async () => {
      const { status, json } = await postJSON(urlOf(framed), { ...CHAT_BODY, seed: 8 });
      expect(status).toBe(400);
      expect(json.differences).toEqual([{ field: "body.seed", expected: 7, got: 8 }]);
      expect((json.error as { message: string }).message).toContain("may leave it out");
    });
  });

  describe("a request it cannot read", () => {
    it("another content-type is a 415", async () => {
      const response = await fetch(urlOf(framed), {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: JSON.stringify(CHAT_BODY),
      });
      expect(response.status).toBe(415);
      const json = (await response.json()) as { code: string; error: { message: string } };
      expect(json.code).toBe("unsupported_media_type");
      expect(json.error.message).toContain("Content-Type: application/json");
    });

    it("a body declared over 1 MiB is a 413 before it is read", async () => {
      const answer = await exchange(urlOf(framed), {
        headers: { ...jsonHeaders, "content-length": String(2 * MAX_REQUEST_BODY_BYTES) },
        keepOpen: true,
      });
      expect(answer.status).toBe(413);
      expect(Buffer.concat(answer.pieces.map((piece) => piece.bytes)).toString()).toContain("at most 1048576 bytes");
    });

    it("a body that grows past 1 MiB is a 413 once it does", async () => {
      const answer = await exchange(urlOf(framed), {
        headers: { ...jsonHeaders, "transfer-encoding": "chunked" },
        body: Buffer.alloc(MAX_REQUEST_BODY_BYTES + 1, " "),
        keepOpen: true,
      });
      expect(answer.status).toBe(413);
    });
  });

  it("answers an unknown case with a 404 saying how cases are addressed", async () => {
    for (const path of ["/gradient/no-such-case/v1/chat/completions", "/v1/chat/completions"]) {
      const { status, json } = await postJSON(`${server.url}${path}`, CHAT_BODY);
      expect(status).toBe(404);
      expect(json.code).toBe("unknown_case");
      expect((json.error as { message: string }).message).toContain("/<dialect>/<case name>");
    }
  });

  it("lists every case with its base URL at GET /", async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    const index = (await response.json()) as { cases: Record<string, unknown>[] };
    expect(index.cases.map((entry) => entry.id)).toEqual(served.map((fixture) => `${fixture.dialect}/${fixture.name}`));
    expect(index.cases[0]).toMatchObject({
      dialect: "gradient",
      name: "stream-paced",
      base_url: server.baseURL(paced),
      request: {
        method: "POST",
        url: urlOf(paced),
        stream: true,
        body: paced.request.body,
        optional_for_drivers: ["seed"],
      },
      response: { status: 200, ends: "close" },
    });
  });
});

describe("starting and stopping the fixture server", () => {
  it("refuses fixtures it cannot serve, saying which", async () => {
    await expect(startFixtureServer({ fixtures: [framed, framed] })).rejects.toThrow(
      /Two fixtures are gradient\/completion-framed/,
    );
    const broken = { ...framed, response: { ...framed.response, body_chunks: [42] } } as unknown as Fixture;
    await expect(startFixtureServer({ fixtures: [broken] })).rejects.toThrow(/\/response\/body_chunks\/0/);
    await expect(startFixtureServer({ fixtures: [framed], port: 70_000 })).rejects.toThrow(/from 0 to 65535/);
  });

  it("says when the port is taken", async () => {
    const first = await startFixtureServer({ fixtures: [framed] });
    try {
      const port = Number(new URL(first.url).port);
      await expect(startFixtureServer({ fixtures: [framed], port })).rejects.toThrow(/port is in use/);
    } finally {
      await first.close();
    }
  });

  it("close() ends an answer in progress without waiting for its recorded pace", async () => {
    // About two minutes of recorded pauses: finishing at all shows they were not waited out.
    const slow = fixtureWith("stream-slow", {
      headers: { "content-type": "text/event-stream" },
      body_chunks: Array.from({ length: 120 }, () => chunkEvent("x")),
      delays_ms: Array.from({ length: 120 }, (_, index) => (index === 0 ? 0 : 60_000)),
    });
    const server = await startFixtureServer({ fixtures: [slow] });
    const answer = exchange(`${server.baseURL(slow)}/v1/chat/completions`, {
      headers: jsonHeaders,
      body: JSON.stringify(slow.request.body),
      onPiece: () => void server.close(),
    });
    const { pieces, ending } = await answer;
    await server.close();
    expect(pieces).toHaveLength(1);
    expect(ending).not.toBe("end");
  });
});

describe("every shipped fixture", () => {
  const fixtures = loadFixtures();
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer({ fixtures });
  });
  afterAll(() => server?.close());

  it("is answered with its recorded status and bytes, its optional fields left out", async () => {
    for (const fixture of fixtures) {
      const body = Object.fromEntries(
        Object.entries(fixture.request.body).filter(
          ([field]) => !fixture.request.optional_for_drivers?.includes(field),
        ),
      );
      const answer = await exchange(`${server.baseURL(fixture)}${fixture.request.path}`, {
        headers: jsonHeaders,
        body: JSON.stringify(body),
      });
      const id = `${fixture.dialect}/${fixture.name}`;
      expect(answer.status, id).toBe(fixture.response.status);
      expect(Buffer.concat(answer.pieces.map((piece) => piece.bytes)), id).toEqual(recordedBytes(fixture));
      expect(answer.ending, id).toBe(fixture.response.ends === "reset" ? "ECONNRESET" : "end");
    }
  });

  it("gives the chatwire SDKs, over HTTP, what the fixture says any SDK must make of it", async () => {
    const failures: string[] = [];
    for (const fixture of fixtures) {
      const outcome = await driveSDK(fixture, { baseURL: server.baseURL(fixture), apiKey: "fixture-key" });
      const mismatch = compareOutcome(fixture.expect, outcome);
      if (mismatch) failures.push(`${fixture.dialect}/${fixture.name}: ${mismatch.expected} / ${mismatch.got}`);
    }
    expect(failures).toEqual([]);
  });
});
