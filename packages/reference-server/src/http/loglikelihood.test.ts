import { type DialectId, dialects, type PromptLogprobs } from "@chatwire/core";
import { dialectValidators } from "@chatwire/core/validators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJSON, readChunks, startTestServer, type TestServer } from "../test-helpers.js";

const MODEL = "chatwire-tiny";
const MESSAGES = [
  { role: "system", content: "Answer in one line." },
  { role: "user", content: "Hello there, tell me about the river." },
];
/** The tiny model's chat template (ChatML), rendered for MESSAGES with the assistant's turn opened. */
const RENDERED = `${MESSAGES.map(({ role, content }) => `<|im_start|>${role}\n${content}<|im_end|>\n`).join("")}<|im_start|>assistant\n`;

type Json = Record<string, unknown>;

const chatPath = (dialect: DialectId) => `/${dialect}${dialects[dialect].chat_path}`;

describe("OctoAI loglikelihood: prompt_logprobs", () => {
  let server: TestServer;
  /** The prompt's tokens, as the template renders MESSAGES, and their text as the server writes it. */
  let promptTokens: number[];
  let detokenized: { all: string; first: string };

  const post = async (dialect: DialectId, extra: Json): Promise<Json> => {
    const response = await postJSON(`${server.url}${chatPath(dialect)}`, {
      model: MODEL,
      messages: MESSAGES,
      max_tokens: 6,
      temperature: 0,
      ...extra,
    });
    const body = (await response.json()) as Json;
    expect(response.status, JSON.stringify(body)).toBe(200);
    const valid = dialectValidators[dialect].response.safeParse(body);
    expect(valid.success, valid.error?.message).toBe(true);
    return body;
  };

  const stream = async (dialect: DialectId, extra: Json): Promise<Json[]> => {
    const response = await postJSON(`${server.url}${chatPath(dialect)}`, {
      model: MODEL,
      messages: MESSAGES,
      max_tokens: 6,
      temperature: 0,
      stream: true,
      ...extra,
    });
    expect(response.status).toBe(200);
    const { chunks, done } = await readChunks(response);
    expect(done).toBe(true);
    for (const chunk of chunks) {
      const valid = dialectValidators[dialect].chunk.safeParse(chunk);
      expect(valid.success, valid.error?.message).toBe(true);
    }
    return chunks;
  };

  const cachedSoFar = async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    return Number(/chatwire_tokens_total\{kind="prompt_cached"\} (\d+)/.exec(text)?.[1] ?? 0);
  };

  /** What every answer to MESSAGES must hold: one entry per prompt token, each the token's own score. */
  const expectPromptScores = (list: PromptLogprobs | undefined, usage: unknown) => {
    expect(list).toBeDefined();
    const entries = list as PromptLogprobs;
    expect(entries).toHaveLength(promptTokens.length);
    expect((usage as { prompt_tokens: number }).prompt_tokens).toBe(entries.length);
    expect(entries[0]).toBeNull();
    const texts: string[] = [];
    entries.slice(1).forEach((entry, i) => {
      expect(entry).not.toBeNull();
      const pairs = Object.entries(entry as object);
      expect(pairs).toHaveLength(1);
      const [id, score] = pairs[0] as [string, { logprob: number; rank: number; decoded_token: string }];
      expect(Number(id)).toBe(promptTokens[i + 1]);
      expect(score.logprob).toBeLessThanOrEqual(0);
      expect(Number.isFinite(score.logprob)).toBe(true);
      if (score.logprob < -1000) expect(score.logprob).toBe(-9999);
      expect(Number.isInteger(score.rank) && score.rank >= 1).toBe(true);
      texts.push(score.decoded_token);
    });
    // Each token's text, read where it stands, joins up to the prompt's text after its first token,
    // the template's control tokens written out (the prompt is ASCII: no token is part of a character).
    expect(detokenized.all.startsWith(detokenized.first)).toBe(true);
    expect(texts.join("")).toBe(detokenized.all.slice(detokenized.first.length));
  };

  beforeAll(async () => {
    server = await startTestServer({ parallel: 2 });
    const tokenized = (await (
      await postJSON(`${server.url}/tokenize`, { content: RENDERED, parse_special: true })
    ).json()) as { tokens: number[] };
    promptTokens = tokenized.tokens;
    const detokenize = async (tokens: number[]) =>
      ((await (await postJSON(`${server.url}/detokenize`, { tokens })).json()) as { content: string }).content;
    detokenized = { all: await detokenize(promptTokens), first: await detokenize(promptTokens.slice(0, 1)) };
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("scores every prompt token after the first in an OctoAI completion", async () => {
    const body = await post("octoai", { loglikelihood: true });
    expectPromptScores(body.prompt_logprobs as PromptLogprobs, body.usage);
    // The reply is the same as without scoring: scoring reads logits, it changes no sampling.
    const plain = await post("octoai", {});
    expect(plain.choices).toEqual(body.choices);
  });

  it("puts them on the first chunk of an OctoAI stream, and on no other", async () => {
    const chunks = await stream("octoai", { loglikelihood: true, stream_options: { include_usage: true } });
    const usage = chunks.find((chunk) => chunk.usage)?.usage;
    expectPromptScores(chunks[0]?.prompt_logprobs as PromptLogprobs, usage);
    expect(chunks.slice(1).filter((chunk) => "prompt_logprobs" in chunk)).toEqual([]);
    const whole = await post("octoai", { loglikelihood: true });
    expect(chunks[0]?.prompt_logprobs).toEqual(whole.prompt_logprobs);
  });

  it("answers without them when loglikelihood is off", async () => {
    expect(await post("octoai", {})).not.toHaveProperty("prompt_logprobs");
    expect(await post("octoai", { loglikelihood: false })).not.toHaveProperty("prompt_logprobs");
    const chunks = await stream("octoai", {});
    expect(chunks.filter((chunk) => "prompt_logprobs" in chunk)).toEqual([]);
  });

  it("scores the whole prompt when the prompt cache holds it", async () => {
    // Both sequences now hold this prompt: a plain repeat skips all of it but its last token.
    await post("octoai", { n: 2 });
    const beforeRepeat = await cachedSoFar();
    await post("octoai", {});
    expect((await cachedSoFar()) - beforeRepeat).toBe(promptTokens.length - 1);
    const before = await cachedSoFar();
    const body = await post("octoai", { loglikelihood: true });
    expect(await cachedSoFar()).toBe(before);
    expectPromptScores(body.prompt_logprobs as PromptLogprobs, body.usage);
  });

  it("carries them once, at the top level, for n > 1", async () => {
    const body = await post("octoai", { loglikelihood: true, n: 2 });
    expectPromptScores(body.prompt_logprobs as PromptLogprobs, body.usage);
    for (const choice of body.choices as Json[]) expect(choice).not.toHaveProperty("prompt_logprobs");

    const chunks = await stream("octoai", { loglikelihood: true, n: 2, temperature: 1, seed: 5 });
    const carrying = chunks.filter((chunk) => "prompt_logprobs" in chunk);
    expect(carrying).toHaveLength(1);
    expect(chunks[0]).toBe(carrying[0]);
    expect(chunks[0]?.prompt_logprobs).toEqual(body.prompt_logprobs);
  });

  it("still gives them when the first token ends the reply, streamed or not", async () => {
    const [end] = (
      (await (await postJSON(`${server.url}/tokenize`, { content: "<|im_end|>", parse_special: true })).json()) as {
        tokens: number[];
      }
    ).tokens as [number];
    const endFirst = { loglikelihood: true, logit_bias: { [end]: 100 } };
    const body = await post("octoai", endFirst);
    expect((body.choices as { message: { content: string } }[])[0]?.message.content).toBe("");
    expectPromptScores(body.prompt_logprobs as PromptLogprobs, body.usage);

    const chunks = await stream("octoai", { ...endFirst, stream_options: { include_usage: true } });
    expectPromptScores(chunks[0]?.prompt_logprobs as PromptLogprobs, chunks.at(-1)?.usage);
  });

  it("puts them on the first chunk of a forced tool call's stream", async () => {
    const chunks = await stream("octoai", {
      loglikelihood: true,
      max_tokens: 60,
      tools: [{ type: "function", function: { name: "lookup", parameters: { type: "object", properties: {} } } }],
      tool_choice: "required",
    });
    expect(chunks.filter((chunk) => "prompt_logprobs" in chunk)).toHaveLength(1);
    expect(chunks[0]).toHaveProperty("prompt_logprobs");
  });

  it("scores a prompt longer than a batch (512 tokens), decoded over several", async () => {
    const messages = [{ role: "user", content: "the river runs to the sea and back again ".repeat(80) }];
    const body = await post("octoai", { loglikelihood: true, messages, max_tokens: 2 });
    const { prompt_tokens } = body.usage as { prompt_tokens: number };
    expect(prompt_tokens).toBeGreaterThan(512);
    const list = body.prompt_logprobs as PromptLogprobs;
    expect(list).toHaveLength(prompt_tokens);
    expect(list[0]).toBeNull();
    for (const entry of list.slice(1)) {
      const [score] = Object.values(entry ?? {});
      expect(score?.logprob).toBeLessThanOrEqual(0);
      expect(score?.rank).toBeGreaterThanOrEqual(1);
    }
  });

  // Their request schemas have no `loglikelihood` and let unknown fields through: it is ignored.
  it.each(["gradient", "predictionguard"] as const)(
    "%s ignores loglikelihood, as its schema lets it",
    async (dialect) => {
      expect(dialects[dialect].prompt_logprobs).toBe(false);
      expect(await post(dialect, { loglikelihood: true })).not.toHaveProperty("prompt_logprobs");
      const chunks = await stream(dialect, { loglikelihood: true });
      expect(chunks.filter((chunk) => "prompt_logprobs" in chunk)).toEqual([]);
    },
  );
});
