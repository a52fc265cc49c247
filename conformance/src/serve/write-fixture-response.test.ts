import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import type { Fixture } from "../fixture.js";
import { exchange } from "./test-exchange.js";
import { type AnswerEnd, writeFixtureResponse } from "./write-fixture-response.js";

// About two minutes of recorded pauses: an answer that ends within a test's time was cut short.
const slow: Fixture = {
  name: "stream-slow",
  dialect: "octoai",
  description: "A stream with long pauses.",
  request: { method: "POST", path: "/v1/chat/completions", headers: {}, body: { model: "m", messages: [] } },
  response: {
    status: 200,
    headers: { "content-type": "text/event-stream" },
    body_chunks: Array.from({ length: 120 }, (_, index) => `data: {"n":${index}}\n\n`),
    delays_ms: Array.from({ length: 120 }, (_, index) => (index === 0 ? 0 : 60_000)),
  },
  expect: { chunks: [] },
};

/** Serves `fixture` once and resolves with how its answer ended, as the server saw it. */
async function serveOnce(fixture: Fixture, stop = new AbortController().signal) {
  let ended!: Promise<AnswerEnd>;
  const server = createServer((_request, response) => {
    ended = writeFixtureResponse(fixture, response, stop);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    ended: () => ended,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("writing a fixture's answer", () => {
  it("stops its pacing timers when the client leaves mid-answer", async () => {
    const served = await serveOnce(slow);
    try {
      const answer = await exchange(served.url, { onPiece: (_piece, leave) => leave() });
      expect(answer.pieces).toHaveLength(1);
      expect(await served.ended()).toBe("client-left");
    } finally {
      await served.close();
    }
  });

  it("stops when the server stops", async () => {
    const stop = new AbortController();
    const served = await serveOnce(slow, stop.signal);
    try {
      const answer = exchange(served.url, { onPiece: () => stop.abort() });
      expect((await answer).pieces).toHaveLength(1);
      expect(await served.ended()).toBe("stopped");
    } finally {
      await served.close();
    }
  });
});
