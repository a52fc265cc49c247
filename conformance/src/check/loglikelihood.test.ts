import type { DialectId } from "@chatwire/core";
import { afterEach, describe, expect, it } from "vitest";
import { chatURL } from "../dialect-wire.js";
import { loglikelihoodCheck } from "./checks/loglikelihood.js";
import { Probes } from "./probes.js";
import { type FakeBackend, startFakeBackend } from "./test-fake-backends.js";

const USAGE = { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 };
/** Three prompt tokens; the last one's probability is 0, which the spec writes as -9999. */
const PROMPT_LOGPROBS = [
  null,
  { "9906": { logprob: -3.25, rank: 4, decoded_token: "Hello" } },
  { "0": { logprob: -9999, rank: 32000, decoded_token: "!" } },
];

/**
 * A backend that answers `loglikelihood: true` with `prompt` (the unstreamed reply and the stream's
 * first chunk alike); the mutants (test-mutants.ts) show the check failing on the reference server,
 * these what it accepts and how it words a backend that ignores the field.
 */
function loglikelihoodBackend(prompt: unknown[] | undefined): Promise<FakeBackend> {
  return startFakeBackend((_request, text, response) => {
    const body = JSON.parse(text) as { stream?: boolean };
    const envelope = { id: "c", created: 1, model: "m", ...(prompt && { prompt_logprobs: prompt }) };
    if (body.stream !== true) {
      const choice = { index: 0, message: { role: "assistant", content: "Hi" }, finish_reason: "stop" };
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ ...envelope, object: "chat.completion", choices: [choice], usage: USAGE }));
      return;
    }
    const choice = { index: 0, delta: { role: "assistant", content: "Hi" }, finish_reason: "stop" };
    const chunk = { ...envelope, object: "chat.completion.chunk", choices: [choice], usage: USAGE };
    response.writeHead(200, { "content-type": "text/event-stream" });
    response.end(`data: ${JSON.stringify(chunk)}\n\ndata: [DONE]\n\n`);
  });
}

let backend: FakeBackend | undefined;

afterEach(async () => {
  await backend?.stop();
  backend = undefined;
});

async function judge(dialect: DialectId, prompt: unknown[] | undefined) {
  backend = await loglikelihoodBackend(prompt);
  const probes = new Probes({
    dialect,
    chatURL: chatURL(backend.url, dialect),
    apiKey: undefined,
    model: "m",
    fetch,
    timeoutMs: 5000,
    deadline: performance.now() + 10_000,
  });
  return loglikelihoodCheck.run(probes);
}

describe("loglikelihood.prompt-logprobs", () => {
  it("passes one entry per prompt token, the first null, a probability of 0 written as -9999", async () => {
    expect(await judge("octoai", PROMPT_LOGPROBS)).toEqual({ outcome: "pass" });
  });

  it("fails a backend that ignores `loglikelihood`, saying what came instead", async () => {
    const verdict = await judge("octoai", undefined);
    expect(verdict).toMatchObject({
      outcome: "fail",
      expected: expect.stringContaining("`prompt_logprobs` on the reply and on the stream's first chunk"),
      got: expect.stringContaining(
        "the reply with `loglikelihood: true` has no `prompt_logprobs` (its fields: id, created, model, object, choices, usage)",
      ),
    });
  });

  it("names the entry and token that break the rule", async () => {
    const [first, second] = PROMPT_LOGPROBS;
    const verdict = await judge("octoai", [first, second, { "17": { logprob: -1, rank: 0, decoded_token: "x" } }]);
    expect(verdict).toMatchObject({ outcome: "fail", got: expect.stringContaining("entry 2, token 17: rank 0") });
  });

  it("is skipped where the dialect has no prompt logprobs", async () => {
    expect(await judge("gradient", PROMPT_LOGPROBS)).toMatchObject({ outcome: "skip" });
  });
});
