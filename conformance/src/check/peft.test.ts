import type { DialectId } from "@chatwire/core";
import { afterEach, describe, expect, it } from "vitest";
import { chatURL } from "../dialect-wire.js";
import { unknownAdapterCheck } from "./checks/peft.js";
import { Probes } from "./probes.js";
import { UNKNOWN_ADAPTER } from "./probes-extra.js";
import { type FakeBackend, startFakeBackend } from "./test-fake-backends.js";

const MODEL = "m";

/**
 * A backend that lists `listed` and refuses every `peft` it does not list with a 404 ErrorBody; the
 * mutants (test-mutants.ts) show the check failing, these its skips and its pass.
 */
function adapterBackend(listed: { id: string; parent?: string }[]): Promise<FakeBackend> {
  return startFakeBackend((request, text, response) => {
    if (request.method === "GET" && request.url === "/v1/models") {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ object: "list", data: [{ id: MODEL, object: "model" }, ...listed] }));
      return;
    }
    const body = JSON.parse(text) as { peft?: string };
    if (body.peft !== undefined && !listed.some((entry) => entry.id === body.peft)) {
      response.writeHead(404, { "content-type": "application/json" });
      const message = `No LoRA adapter is named ${JSON.stringify(body.peft)}`;
      response.end(JSON.stringify({ error: { message, type: "invalid_request_error", code: "adapter_not_found" } }));
      return;
    }
    response.writeHead(200, { "content-type": "application/json" });
    response.end("{}");
  });
}

let backend: FakeBackend | undefined;

afterEach(async () => {
  await backend?.stop();
  backend = undefined;
});

async function judge(dialect: DialectId, listed: { id: string; parent?: string }[]) {
  backend = await adapterBackend(listed);
  const probes = new Probes({
    dialect,
    chatURL: chatURL(backend.url, dialect),
    apiKey: undefined,
    model: MODEL,
    fetch,
    timeoutMs: 5000,
    deadline: performance.now() + 10_000,
  });
  return unknownAdapterCheck.run(probes);
}

describe("peft.unknown-adapter", () => {
  it(`passes when a backend that lists adapters refuses "${UNKNOWN_ADAPTER}" with the dialect's error body`, async () => {
    expect(await judge("octoai", [{ id: "m-sea", parent: MODEL }])).toEqual({ outcome: "pass" });
  });

  it("is skipped, saying so, where the model list names no adapter of the model", async () => {
    const verdict = await judge("octoai", [{ id: "other-sea", parent: "other" }]);
    expect(verdict.outcome).toBe("skip");
    expect(verdict).toMatchObject({
      note: expect.stringMatching(/names no adapters of m \(no entry has `"parent": "m"`\)/),
    });
  });

  it("is skipped where the dialect's request has no `peft`", async () => {
    const verdict = await judge("gradient", [{ id: "m-sea", parent: MODEL }]);
    expect(verdict).toEqual({
      outcome: "skip",
      note: "gradient's request schema (GradientChatCompletionRequest in spec/chat-completions.schema.json) has no `peft`",
    });
  });
});
