import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import { dialects, type PredictionGuardChatCompletionChunk } from "@chatwire/core";
import { docSample, markdownCodeBlocks, sseResponse, useMockAPI } from "@chatwire/test-support";
import { describe, expect, it } from "vitest";
import { PredictionGuard, type PredictionGuardStreamItem } from "./index.js";

type Chunk = PredictionGuardChatCompletionChunk;

// Two token chunks shaped like the documented one, then the documented last chunk: its delta is
// empty, so it has no `content`. The Python client never yields that chunk; this one does.
const token = docSample<Chunk>("pg-chunk-token-with-numeric-logprobs");
const last = docSample<Chunk>("pg-chunk-final-with-generated-text");
const withContent = (content: string): Chunk => ({
  ...token,
  choices: token.choices.map((choice) => ({ ...choice, delta: { content } })),
});
const chunks = [withContent("Thanks,"), withContent(" I try"), last];

/** The statements inside the README's first `for await (const res of stream)` loop of its Streaming section. */
function readmeLoopBody(): string {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const [example] = markdownCodeBlocks(readme.slice(readme.indexOf("## Streaming")));
  const body = /^for await \(const res of stream\) \{\n([\s\S]*?)^\}/m.exec(example?.code ?? "")?.[1];
  if (!body) throw new Error("README.md: no `for await (const res of stream) { ... }` loop under ## Streaming");
  return body;
}

/** Runs `statements` once per streamed item with `res` bound to it and `process.stdout` writing into a buffer. */
async function runLoop(statements: string, items: AsyncIterable<PredictionGuardStreamItem>) {
  const written: string[] = [];
  // A real Writable, so a chunk that is not a string fails as it does on process.stdout.
  const stdout = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written.push(chunk.toString());
      done();
    },
  });
  const step = new Function("process", "res", statements) as (process: unknown, res: unknown) => void;
  let seen = 0;
  try {
    for await (const res of items) {
      seen++;
      step({ stdout }, res);
    }
    return { written: written.join(""), seen, error: undefined };
  } catch (error) {
    return { written: written.join(""), seen, error };
  }
}

describe("the README's streaming loop, on a stream whose last chunk has no content", () => {
  const api = useMockAPI(`${dialects.predictionguard.base_url}${dialects.predictionguard.chat_path}`);
  const client = new PredictionGuard({ apiKey: "pg-test-key" });
  const model = "Hermes-3-Llama-3.1-8B";
  const messages = [{ role: "user" as const, content: "Write a haiku about the sea." }];

  it("writes every token, goes through the last chunk too, and ends without an error", async () => {
    api.reply(() => sseResponse(chunks));
    const stream = await client.chat.completions.create({ model, messages, stream: true });
    const run = await runLoop(readmeLoopBody(), stream);
    expect(run.error).toBeUndefined();
    expect(run.seen).toBe(chunks.length);
    expect(run.written).toBe("Thanks, I try");
  });

  it("throws ERR_INVALID_ARG_TYPE on the last chunk when ported from Python line by line, as the README says", async () => {
    api.reply(() => sseResponse(chunks));
    const stream = await client.chat.completions.create({ model, messages, stream: true });
    const run = await runLoop("process.stdout.write(res.data.choices[0].delta.content);", stream);
    expect(run.error).toMatchObject({ name: "TypeError", code: "ERR_INVALID_ARG_TYPE" });
    expect(run.seen).toBe(chunks.length);
    expect(run.written).toBe("Thanks, I try");
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    expect(readme).toContain("`process.stdout.write(res.data.choices[0].delta.content)`");
    expect(readme).toContain("ERR_INVALID_ARG_TYPE");
  });
});
