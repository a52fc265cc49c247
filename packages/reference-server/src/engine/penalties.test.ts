import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJSON, startTestServer, type TestServer } from "../test-helpers.js";

const PATH = "/gradient/v1/chat/completions";
const MESSAGES = [{ role: "user", content: "Hello there, tell me about the river and the sea." }];

/** How many of the reply's words repeat a word said before in it. */
function repeats(text: string): number {
  const words = text.toLowerCase().match(/[a-z]+/g) ?? [];
  return words.length - new Set(words).size;
}

describe("frequency and presence penalties", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  const reply = async (penalties: Record<string, number>) => {
    const response = await postJSON(`${server.url}${PATH}`, {
      model: "chatwire-tiny",
      messages: MESSAGES,
      max_tokens: 96,
      temperature: 0,
      seed: 7,
      ignore_eos: true,
      ...penalties,
    });
    const body = (await response.json()) as { choices: { message: { content: string } }[] };
    expect(response.status, JSON.stringify(body)).toBe(200);
    return body.choices[0]?.message.content ?? "";
  };

  // node-llama-cpp's native sampler skips every penalty while the repetition penalty is 1, its
  // default: these held only once the server worked around that.
  it("frequency_penalty alone changes a greedy reply, and it repeats itself less", async () => {
    const plain = await reply({});
    const penalized = await reply({ frequency_penalty: 2 });
    expect(penalized).not.toBe(plain);
    expect(repeats(penalized)).toBeLessThan(repeats(plain));
  });

  it("presence_penalty alone changes a greedy reply", async () => {
    expect(await reply({ presence_penalty: 2 })).not.toBe(await reply({}));
  });

  it("a penalty of 0 leaves the reply as it is", async () => {
    expect(await reply({ frequency_penalty: 0, presence_penalty: 0 })).toBe(await reply({}));
  });
});
