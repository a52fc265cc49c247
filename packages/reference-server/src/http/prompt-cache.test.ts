import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJSON, startTestServer, type TestServer } from "../test-helpers.js";

const PATH = "/gradient/v1/chat/completions";
type Message = { role: string; content: string };

interface Reply {
  text: string;
  promptTokens: number;
}

describe("prompt cache", () => {
  let server: TestServer;

  beforeAll(async () => {
    // One sequence, so every request lands on the slot the one before it left.
    server = await startTestServer({ parallel: 1 });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  const ask = async (messages: Message[]): Promise<Reply> => {
    const response = await postJSON(`${server.url}${PATH}`, {
      model: "chatwire-tiny",
      messages,
      max_tokens: 40,
      temperature: 0,
      seed: 3,
    });
    const body = (await response.json()) as {
      choices: { message: { content: string } }[];
      usage: { prompt_tokens: number };
    };
    expect(response.status, JSON.stringify(body)).toBe(200);
    return { text: body.choices[0]?.message.content ?? "", promptTokens: body.usage.prompt_tokens };
  };

  const cachedSoFar = async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    return Number(/chatwire_tokens_total\{kind="prompt_cached"\} (\d+)/.exec(text)?.[1] ?? 0);
  };

  const first: Message[] = [{ role: "user", content: "Tell me about the river and the sea." }];
  const unrelated: Message[] = [
    { role: "system", content: "Be brief." },
    { role: "user", content: "Green?" },
  ];

  it("decodes only what is new when a prompt repeats or extends the one before, and replies the same", async () => {
    const fresh = await ask(first);
    const before = await cachedSoFar();
    const repeated = await ask(first);
    // Everything but the last prompt token, which is decoded again for its logits.
    expect((await cachedSoFar()) - before).toBe(fresh.promptTokens - 1);
    expect(repeated.text).toBe(fresh.text);

    const conversation = [...first, { role: "assistant", content: fresh.text }, { role: "user", content: "And then?" }];
    const beforeTurn = await cachedSoFar();
    const nextTurn = await ask(conversation);
    expect((await cachedSoFar()) - beforeTurn).toBeGreaterThanOrEqual(fresh.promptTokens);

    // The same conversation from a slot that holds another prompt gives the same reply.
    await ask(unrelated);
    const beforeCold = await cachedSoFar();
    const cold = await ask(conversation);
    expect((await cachedSoFar()) - beforeCold).toBeLessThan(fresh.promptTokens);
    expect(cold.text).toBe(nextTurn.text);
  });
});
