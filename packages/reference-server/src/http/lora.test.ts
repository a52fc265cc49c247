import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureGeneratedAdapter } from "../model/default-model.js";
import { WORDS } from "../model/vocabulary.js";
import { postJSON, readChunks, startTestServer, type TestServer } from "../test-helpers.js";
import { buildRoutes } from "./routes.js";

const CHAT = "/octoai/v1/chat/completions";
const ADAPTER = "plain-words";

describe("LoRA adapters named by OctoAI's peft", () => {
  const directory = mkdtempSync(join(tmpdir(), "chatwire-lora-test-"));
  let server: TestServer;

  beforeAll(async () => {
    const { path } = ensureGeneratedAdapter("tiny", directory);
    server = await startTestServer({ parallel: 4, loras: [{ name: ADAPTER, path }] });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  /** A greedy, seeded reply to one fixed prompt, with the adapter or without. */
  const reply = async (peft: string | undefined, content = "Tell me about the river and the sea.") => {
    const response = await postJSON(`${server.url}${CHAT}`, {
      model: "chatwire-tiny",
      messages: [{ role: "user", content }],
      max_tokens: 24,
      temperature: 0,
      seed: 7,
      ...(peft !== undefined && { peft }),
    });
    const body = (await response.json()) as { choices: { message: { content: string } }[] };
    expect(response.status, JSON.stringify(body)).toBe(200);
    return body.choices[0]?.message.content ?? "";
  };

  it("decodes with the adapter: other text than the base model, the same on every repeat", async () => {
    const base = await reply(undefined);
    const adapted = await reply(ADAPTER);
    expect(adapted).not.toBe(base);
    // The adapter leaves the bias that keeps fragments out alone: the reply is still made of words.
    const words = adapted.split(/[\s.,!?]+/).filter(Boolean);
    expect(words.length, adapted).toBeGreaterThan(5);
    expect(
      words.every((word) => WORDS.includes(word)),
      adapted,
    ).toBe(true);
    expect(await reply(ADAPTER)).toBe(adapted);
    // The base model in between leaves its prompt in the cache; the adapter's reply must not use it.
    expect(await reply(undefined)).toBe(base);
    expect(await reply(ADAPTER)).toBe(adapted);
    expect(await reply(undefined)).toBe(base);
  });

  it("streams with the adapter the same text it answers in one piece", async () => {
    const response = await postJSON(`${server.url}${CHAT}`, {
      model: "chatwire-tiny",
      messages: [{ role: "user", content: "Tell me about the river and the sea." }],
      max_tokens: 24,
      temperature: 0,
      seed: 7,
      peft: ADAPTER,
      stream: true,
    });
    expect(response.status).toBe(200);
    const { chunks, done } = await readChunks(response);
    expect(done).toBe(true);
    const text = chunks
      .map((chunk) => (chunk.choices as { delta?: { content?: string } }[])[0]?.delta?.content ?? "")
      .join("");
    expect(text).toBe(await reply(ADAPTER));
  });

  it("keeps concurrent requests with and without the adapter apart: each replies as it does alone", async () => {
    const prompts = ["Tell me about the river and the sea.", "What is green?"];
    const alone = new Map<string, string>();
    for (const content of prompts) {
      for (const peft of [undefined, ADAPTER]) alone.set(`${peft}:${content}`, await reply(peft, content));
    }
    for (let round = 0; round < 3; round++) {
      const runs = prompts.flatMap((content) =>
        [undefined, ADAPTER].map(async (peft) => ({ key: `${peft}:${content}`, text: await reply(peft, content) })),
      );
      for (const { key, text } of await Promise.all(runs)) expect(text, key).toBe(alone.get(key));
    }
  });

  it("answers an unknown peft with a 404 that names the adapters it has", async () => {
    const response = await postJSON(`${server.url}${CHAT}`, {
      model: "chatwire-tiny",
      messages: [{ role: "user", content: "Hi" }],
      peft: "no-such-adapter",
    });
    expect(response.status).toBe(404);
    const text = await response.text();
    expect(text).toContain("no-such-adapter");
    expect(text).toContain(ADAPTER);
  });

  it("lists the adapter after the model, with the model as its parent, on every model-list route", async () => {
    const paths = [...buildRoutes("octoai")].filter(([, route]) => route.kind === "models").map(([path]) => path);
    expect(paths.length).toBeGreaterThan(1);
    for (const path of paths) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(200);
      const body = (await response.json()) as { data: Record<string, unknown>[] };
      expect(body.data, path).toEqual([
        { id: "chatwire-tiny", object: "model", created: 0, owned_by: "chatwire" },
        { id: ADAPTER, object: "model", created: 0, owned_by: "chatwire", parent: "chatwire-tiny" },
      ]);
    }
  });
});

describe("loading LoRA adapters", () => {
  const directory = mkdtempSync(join(tmpdir(), "chatwire-lora-load-test-"));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it("fails the start on an adapter made for another model, with llama.cpp's refusal", async () => {
    const { path } = ensureGeneratedAdapter("bench", directory);
    await expect(startTestServer({ loras: [{ name: "wrong", path }] })).rejects.toThrow(
      /LoRA adapter "wrong": Failed to initialize LoRA adapter/,
    );
  }, 60_000);

  it("fails the start on a file that is not a LoRA adapter, before loading anything", async () => {
    await expect(
      startTestServer({ loras: [{ name: "missing", path: join(directory, "missing.gguf") }] }),
    ).rejects.toThrow(/missing\.gguf: cannot read: ENOENT/);
  });
});
