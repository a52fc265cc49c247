import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { RefusedError, timeConcurrent, timeStreamedCompletion } from "./stream-request.js";

let server: Server | undefined;

async function close(): Promise<void> {
  const running = server;
  server = undefined;
  if (running) await new Promise((resolve) => running.close(resolve));
}

afterEach(close);

/** A server that answers every POST with `status` and the given SSE events (or a plain body). */
async function serve(status: number, events: readonly string[], seen: unknown[] = []): Promise<string> {
  const created = createServer((request, response) => {
    let body = "";
    request.on("data", (data: Buffer) => {
      body += data.toString();
    });
    request.on("end", () => {
      seen.push(JSON.parse(body));
      response.writeHead(status, { "content-type": status === 200 ? "text/event-stream" : "application/json" });
      for (const event of events) response.write(status === 200 ? `data: ${event}\n\n` : event);
      response.end();
    });
  });
  server = created;
  await new Promise<void>((resolve) => created.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(created.address() as AddressInfo).port}/v1/chat/completions`;
}

const chunk = (content: string) => JSON.stringify({ choices: [{ index: 0, delta: { content } }] });
const usage = (completion_tokens: number) => JSON.stringify({ choices: [], usage: { completion_tokens } });

describe("timeStreamedCompletion", () => {
  it("counts tokens from the usage chunk, asks for it, and times the first content", async () => {
    const seen: unknown[] = [];
    const url = await serve(200, [chunk(""), chunk("Hi"), chunk(" there"), usage(7), "[DONE]"], seen);
    const timing = await timeStreamedCompletion(url, { model: "m", max_tokens: 7 });
    expect(timing.completionTokens).toBe(7);
    expect(timing.ttftMs).toBeGreaterThanOrEqual(0);
    expect(timing.seconds).toBeGreaterThan(0);
    expect(timing.tokensPerSecond).toBeCloseTo(7 / timing.seconds);
    expect(seen[0]).toEqual({ model: "m", max_tokens: 7, stream: true, stream_options: { include_usage: true } });
  });

  it("refuses an answer that is not a 200 stream, an error event, or a stream without usage", async () => {
    const refusal = await serve(400, ['{"error":{"message":"Failed to initialize samplers: x"}}']);
    await expect(timeStreamedCompletion(refusal, {})).rejects.toThrow(RefusedError);
    await expect(timeStreamedCompletion(refusal, {})).rejects.toThrow(/HTTP 400: .*Failed to initialize samplers/);
    await close();
    const failed = await serve(200, [chunk("a"), '{"error":{"message":"boom"}}']);
    await expect(timeStreamedCompletion(failed, {})).rejects.toThrow(/boom/);
    await close();
    const noUsage = await serve(200, [chunk("a"), "[DONE]"]);
    await expect(timeStreamedCompletion(noUsage, {})).rejects.toThrow(/no usage/);
  });
});

describe("timeConcurrent", () => {
  it("adds up the completion tokens of every stream", async () => {
    const seen: unknown[] = [];
    const url = await serve(200, [chunk("a"), usage(3), "[DONE]"], seen);
    const aggregate = await timeConcurrent(url, { model: "m" }, 4);
    expect(seen).toHaveLength(4);
    expect(aggregate.completionTokens).toBe(12);
    expect(aggregate.tokensPerSecond).toBeCloseTo(12 / aggregate.seconds);
  });
});
