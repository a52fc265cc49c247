import { describe, expect, it } from "vitest";
import { type Fixture, loadFixtures } from "../fixture.js";
import { projectOnto } from "../replay/compare.js";
import { deriveExpectation, Underivable } from "./derive-expectation.js";

const fixtures = loadFixtures();
const derived = (fixture: Fixture) =>
  deriveExpectation(fixture.dialect, fixture.request.body.stream === true, fixture.response);

describe("every fixture's expectation is what its bytes say, read independently of core", () => {
  it.each(fixtures.map((fixture) => [`${fixture.dialect}/${fixture.name}`, fixture]))("%s", (_, fixture) => {
    const expectation = derived(fixture);
    if (fixture.source?.kind === "recorded") {
      expect(expectation).toEqual(fixture.expect);
      return;
    }
    // Hand-written: the same chunks and error kind, a completion with the fields the author gave;
    // the message is the author's pick of the backend's words, so only its presence is compared.
    const { error, completion, chunks } = fixture.expect;
    const { error: derivedError, completion: derivedCompletion, chunks: derivedChunks } = expectation;
    expect(derivedChunks).toEqual(chunks);
    expect(projectOnto(derivedCompletion, completion)).toEqual(completion);
    expect(derivedError === undefined).toBe(error === undefined);
    if (error && derivedError) {
      const { message_includes, ...kind } = error;
      const { message_includes: derivedMessage, ...derivedKind } = derivedError;
      expect(derivedKind).toEqual(kind);
      expect(derivedMessage === undefined).toBe(message_includes === undefined);
    }
  });

  it("never expects an empty message", () => {
    for (const fixture of fixtures) expect(fixture.expect.error?.message_includes).not.toBe("");
  });
});

describe("deriving an expectation", () => {
  const response = (status: number, contentType: string, body: string, extra: Partial<Fixture["response"]> = {}) => ({
    status,
    headers: { "content-type": contentType },
    body_chunks: [body],
    ...extra,
  });

  it("names an error by kind from the status, with the backend's words and the TypeScript class as a detail", () => {
    expect(
      deriveExpectation(
        "gradient",
        false,
        response(429, "application/json", '{"error":{"message":"Slow down.","type":"rate_limit"}}', {
          headers: { "content-type": "application/json", "retry-after": "7" },
        }),
      ),
    ).toEqual({
      error: {
        kind: "rate_limit",
        status: 429,
        message_includes: "Slow down.",
        retry_after_ms: 7000,
        typescript: { class: "RateLimitError" },
      },
    });
    expect(
      deriveExpectation("predictionguard", false, response(418, "application/json", '{"error":"teapot"}')),
    ).toEqual({
      error: { kind: "other_status", status: 418, message_includes: "teapot", typescript: { class: "APIError" } },
    });
  });

  it("leaves the message out where the backend said nothing", () => {
    expect(deriveExpectation("octoai", false, response(503, "application/json", "{}")).error).toEqual({
      kind: "server",
      status: 503,
      typescript: { class: "InternalServerError" },
    });
  });

  it("reads a stream's error event, a bad chunk and a missing sentinel as stream errors", () => {
    const error = (body: string) => deriveExpectation("gradient", true, response(200, "text/event-stream", body)).error;
    expect(error('event: error\ndata: {"error":{"message":"boom"}}\n\n')).toMatchObject({
      kind: "stream_error",
      stream_error_kind: "error-event",
      message_includes: "boom",
    });
    expect(error("data: {nope\n\n")).toMatchObject({ stream_error_kind: "invalid-json" });
    expect(error('data: {"id":"c","choices":[]}\n\n')).toMatchObject({ stream_error_kind: "truncated" });
    expect(error("data: [DONE]\n\n")).toMatchObject({ stream_error_kind: "unassemblable" });
    expect(error('{"choices":[]}')).toMatchObject({ stream_error_kind: "truncated" });
    expect(deriveExpectation("gradient", true, response(200, "application/json", "{}")).error).toMatchObject({
      stream_error_kind: "not-event-stream",
    });
  });

  it("cannot make an expectation of a reply that is not JSON where JSON was due", () => {
    expect(() => deriveExpectation("gradient", false, response(200, "text/html", "<html>login</html>"))).toThrow(
      Underivable,
    );
  });
});
