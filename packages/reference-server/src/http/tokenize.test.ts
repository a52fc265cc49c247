import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJSON, startTestServer, type TestServer } from "../test-helpers.js";

const KEY = "tokenize-test-key";
const auth = { authorization: `Bearer ${KEY}` };
/** `<|im_end|>`, the generated model's end-of-turn token, and `<0xC3>`, the first byte of `é` (byte tokens start at 5). */
const END_OF_TURN = 4;
const BYTE_C3 = 5 + 0xc3;

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ apiKey: KEY, maxBodyBytes: 4096 });
});
afterAll(() => server.stop());

async function tokenize(body: unknown, path = "/tokenize", headers: Record<string, string> = auth) {
  const response = await postJSON(`${server.url}${path}`, body, { headers });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

describe("POST /tokenize, as llama-server answers it", () => {
  it("answers bare ids by default, the same at the root and under every dialect prefix", async () => {
    const root = await tokenize({ content: "the sea", add_special: false, with_pieces: false });
    expect(root.status).toBe(200);
    expect(root.body.tokens.length).toBeGreaterThan(0);
    for (const id of root.body.tokens) expect(Number.isInteger(id)).toBe(true);
    for (const prefix of ["/gradient", "/octoai", "/predictionguard"]) {
      expect((await tokenize({ content: "the sea" }, `${prefix}/tokenize`)).body).toEqual(root.body);
    }
  });

  it("parses special tokens unless parse_special is false", async () => {
    expect((await tokenize({ content: "<|im_end|>" })).body.tokens).toEqual([END_OF_TURN]);
    const plain = await tokenize({ content: "<|im_end|>", parse_special: false });
    expect(plain.body.tokens).not.toContain(END_OF_TURN);
    expect(plain.body.tokens.length).toBeGreaterThan(1);
  });

  it("gives pieces with with_pieces: text when whole, bytes for part of a character", async () => {
    const { body } = await tokenize({ content: "é", with_pieces: true, parse_special: false });
    // SentencePiece puts its word-boundary space first.
    expect(body.tokens.slice(-2)).toEqual([
      { id: BYTE_C3, piece: [0xc3] },
      { id: BYTE_C3 - 0xc3 + 0xa9, piece: [0xa9] },
    ]);
    const word = await tokenize({ content: "the", with_pieces: true });
    expect(word.body.tokens).toEqual([{ id: expect.any(Number), piece: expect.stringContaining("the") }]);
  });

  it("adds the model's own specials with add_special (the generated model adds none), null meaning the default", async () => {
    const plain = await tokenize({ content: "the sea" });
    expect((await tokenize({ content: "the sea", add_special: true })).body).toEqual(plain.body);
    expect((await tokenize({ content: "the sea", add_special: null, with_pieces: null })).body).toEqual(plain.body);
  });

  it("round-trips through /detokenize", async () => {
    const { body } = await tokenize({ content: "the sea is calm" });
    const response = await postJSON(`${server.url}/detokenize`, { tokens: body.tokens }, { headers: auth });
    expect(await response.json()).toEqual({ content: expect.stringContaining("the sea is calm") });
  });

  it("is guarded like the chat routes: key, JSON, methods, size, field types", async () => {
    expect((await tokenize({ content: "x" }, "/tokenize", {})).status).toBe(401);
    expect((await tokenize({ content: "x" }, "/gradient/tokenize", { authorization: "Bearer no" })).status).toBe(401);
    expect((await fetch(`${server.url}/tokenize`, { headers: auth })).status).toBe(405);
    const bad = await postJSON(`${server.url}/tokenize`, "{not json", { headers: auth });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe("invalid_json");
    expect((await tokenize({ content: "x".repeat(5000) })).status).toBe(413);
    const missing = await tokenize({ text: "x" });
    expect(missing.status).toBe(400);
    expect(missing.body.error.param).toBe("content");
    expect((await tokenize({ content: "x", with_pieces: "yes" })).body.error.param).toBe("with_pieces");
    const outOfRange = await postJSON(`${server.url}/detokenize`, { tokens: [1, -1] }, { headers: auth });
    expect(outOfRange.status).toBe(400);
    expect(((await outOfRange.json()) as { error: { param: string } }).error.param).toBe("tokens[1]");
    const text = await fetch(`${server.url}/tokenize`, {
      method: "POST",
      headers: { ...auth, "content-type": "text/plain" },
      body: "{}",
    });
    expect(text.status).toBe(415);
  });

  it("refuses more text than fits the context, and more ids than it holds, naming the limit", async () => {
    const big = await startTestServer({ contextSize: 256 });
    try {
      const response = await postJSON(`${big.url}/tokenize`, { content: "the sea ".repeat(2000) });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; param: string } };
      expect(body.error).toMatchObject({ code: "limit_exceeded", param: "content" });
      const ids = await postJSON(`${big.url}/detokenize`, { tokens: new Array(300).fill(5) });
      expect(ids.status).toBe(400);
      expect(((await ids.json()) as { error: { param: string } }).error.param).toBe("tokens");
      expect((await postJSON(`${big.url}/tokenize`, { content: "the sea ".repeat(20) })).status).toBe(200);
    } finally {
      await big.stop();
    }
  });

  it("answers errors on a dialect's prefix in that dialect's error shape", async () => {
    const { body } = await tokenize({}, "/predictionguard/tokenize");
    expect(typeof body.error).toBe("string");
  });
});
