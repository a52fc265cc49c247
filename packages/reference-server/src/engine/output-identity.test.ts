import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJSON, readChunks, startTestServer, type TestServer } from "../test-helpers.js";

/**
 * Fixed requests whose replies were recorded before the generation loop was reworked for speed:
 * every sampling path (native sampling, logprobs, ignore_eos, stop strings, logit_bias, grammar,
 * seeded temperature) must keep giving the same text, finish reason and token count. Run with
 * RECORD_OUTPUTS=1 to record the replies again (only when a change of output is intended).
 */
const FIXTURE = new URL("./output-identity.fixture.json", import.meta.url);
const PATH = "/gradient/v1/chat/completions";
const MESSAGES = [{ role: "user", content: "Hello there, tell me about the river and the sea." }];

type Json = Record<string, unknown>;
interface Outcome {
  text: string;
  finish_reason: string;
  completion_tokens: number;
  logprobs?: { token: string; logprob: number; top: string[] }[];
}

const schema = {
  type: "object",
  properties: { name: { type: "string" }, age: { type: "number" } },
  required: ["name", "age"],
};

const CASES: Record<string, Json> = {
  plain: { max_tokens: 48, temperature: 0, seed: 7 },
  ignoreEos: { max_tokens: 200, temperature: 0, seed: 7, ignore_eos: true },
  seededTemperature: { max_tokens: 64, temperature: 0.9, seed: 11, ignore_eos: true },
  seededTopK: { max_tokens: 64, temperature: 0.7, top_k: 20, top_p: 0.9, seed: 5 },
  logprobs: { max_tokens: 24, temperature: 0, seed: 7, logprobs: true, top_logprobs: 5 },
  logprobsIgnoreEos: { max_tokens: 40, temperature: 0, seed: 7, logprobs: true, top_logprobs: 2, ignore_eos: true },
  stop: { max_tokens: 120, temperature: 0, seed: 7, ignore_eos: true, stop: ["the", "\n"] },
  logitBias: { max_tokens: 64, temperature: 0, seed: 7, logit_bias: { "421": -100, "648": 3, "717": -2 } },
  logitBiasIgnoreEos: {
    max_tokens: 64,
    temperature: 0,
    seed: 7,
    ignore_eos: true,
    logit_bias: { "422": -100, "421": 2 },
  },
  penalties: { max_tokens: 64, temperature: 0, seed: 7, frequency_penalty: 1.5, presence_penalty: 1 },
  jsonSchema: {
    max_tokens: 200,
    temperature: 0,
    seed: 13,
    response_format: { type: "json_schema", json_schema: { name: "person", schema } },
  },
};

const round = (value: number) => Math.round(value * 1e4) / 1e4;

async function nonStreamed(server: TestServer, request: Json): Promise<Outcome> {
  const response = await postJSON(`${server.url}${PATH}`, { model: "chatwire-tiny", messages: MESSAGES, ...request });
  const body = (await response.json()) as Json;
  expect(response.status, JSON.stringify(body)).toBe(200);
  const choice = (body.choices as Json[])[0] as Json;
  const logprobs = (choice.logprobs as { content: Json[] } | null)?.content;
  return {
    text: (choice.message as { content: string }).content,
    finish_reason: choice.finish_reason as string,
    completion_tokens: (body.usage as { completion_tokens: number }).completion_tokens,
    ...(logprobs && {
      logprobs: logprobs.map((entry) => ({
        token: entry.token as string,
        logprob: round(entry.logprob as number),
        top: (entry.top_logprobs as Json[]).map((top) => top.token as string),
      })),
    }),
  };
}

async function streamed(server: TestServer, request: Json): Promise<Outcome> {
  const response = await postJSON(`${server.url}${PATH}`, {
    model: "chatwire-tiny",
    messages: MESSAGES,
    ...request,
    stream: true,
    stream_options: { include_usage: true },
  });
  expect(response.status).toBe(200);
  const { chunks, done } = await readChunks(response);
  expect(done).toBe(true);
  let text = "";
  let finish = "";
  let tokens = -1;
  const logprobs: NonNullable<Outcome["logprobs"]> = [];
  for (const chunk of chunks) {
    for (const choice of chunk.choices as Json[]) {
      text += ((choice.delta as Json).content as string | undefined) ?? "";
      if (choice.finish_reason) finish = choice.finish_reason as string;
      for (const entry of (choice.logprobs as { content: Json[] } | null)?.content ?? []) {
        logprobs.push({
          token: entry.token as string,
          logprob: round(entry.logprob as number),
          top: (entry.top_logprobs as Json[]).map((top) => top.token as string),
        });
      }
    }
    const usage = chunk.usage as { completion_tokens: number } | null | undefined;
    if (usage) tokens = usage.completion_tokens;
  }
  return {
    text,
    finish_reason: finish,
    completion_tokens: tokens,
    ...(logprobs.length > 0 && { logprobs }),
  };
}

describe("outputs at a fixed seed", () => {
  let server: TestServer;
  const record = process.env.RECORD_OUTPUTS === "1";
  const recorded: Record<string, Outcome> = {};
  const expected = record ? {} : (JSON.parse(readFileSync(FIXTURE, "utf8")) as Record<string, Outcome>);

  beforeAll(async () => {
    server = await startTestServer();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    if (record) writeFileSync(FIXTURE, `${JSON.stringify(recorded, null, 2)}\n`);
  });

  for (const [name, request] of Object.entries(CASES)) {
    for (const mode of ["nonStreamed", "streamed"] as const) {
      it(`${name}, ${mode}`, async () => {
        const outcome = mode === "streamed" ? await streamed(server, request) : await nonStreamed(server, request);
        const key = `${name}/${mode}`;
        if (record) recorded[key] = outcome;
        else expect(outcome).toEqual(expected[key]);
      });
    }
  }
});
