// @vitest-environment edge-runtime
import { describe, expect, it } from "vitest";
import { HTTPClient } from "./index.js";
import { userAgent } from "./internal.js";

/**
 * Runs the core in the edge runtime (web APIs only, no Node built-ins), as it must run in browsers,
 * Deno, Bun and edge workers. A `node:` import anywhere in the core would fail this file's import.
 */
describe("core in a browser-like runtime", () => {
  it("is not Node", () => {
    expect(typeof (globalThis as { EdgeRuntime?: unknown }).EdgeRuntime).toBe("string");
  });

  it("streams a chat completion through an injected fetch", async () => {
    const frames = [
      'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}]}\n\n',
      'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":" there"},"finish_reason":"stop"}]}\n\n',
      "data: [DONE]\n\n",
    ];
    const encoder = new TextEncoder();
    const fakeFetch: typeof fetch = async () =>
      new Response(
        new ReadableStream({
          start(controller) {
            for (const frame of frames) controller.enqueue(encoder.encode(frame));
            controller.close();
          },
        }),
        { headers: { "content-type": "text/event-stream" } },
      );
    const client = new HTTPClient({
      baseURL: "https://example.test",
      userAgent: userAgent("@chatwire/core", "0.0.0"),
      fetch: fakeFetch,
    });
    const stream = await client.postStream({
      path: "/v1/chat/completions",
      body: { model: "m", messages: [{ role: "user", content: "hi" }], stream: true },
      what: "chat request",
      requestSchema: "ChatCompletionRequest",
      chunkSchema: "ChatCompletionChunk",
      doneSentinel: "[DONE]",
    });
    const completion = await stream.finalCompletion();
    expect(completion.choices[0]?.message).toEqual({ role: "assistant", content: "Hi there" });
  });
});
