import { describe, expect, it } from "vitest";
import type { FixtureExpectation } from "../fixture.js";
import { compareOutcome } from "./compare.js";

const rateLimited: FixtureExpectation = {
  error: {
    kind: "rate_limit",
    status: 429,
    message_includes: "slow down",
    retry_after_ms: 7000,
    typescript: { class: "RateLimitError" },
  },
};

describe("compareOutcome", () => {
  const error = { kind: "rate_limit", status: 429, message: "429: slow down", retry_after_ms: 7000 } as const;

  it("judges the TypeScript class only for a driver that reports its error's classes", () => {
    expect(compareOutcome(rateLimited, { error: { ...error, class: "RateLimitError" } })).toBeUndefined();
    expect(compareOutcome(rateLimited, { error: { ...error, class: "predictionguard.RateLimited" } })).toBeUndefined();
    expect(
      compareOutcome(rateLimited, { error: { ...error, class: "Sub", classes: ["Sub", "RateLimitError", "Error"] } }),
    ).toBeUndefined();
    expect(
      compareOutcome(rateLimited, { error: { ...error, class: "APIError", classes: ["APIError", "Error"] } }),
    ).toEqual({
      expected:
        'a RateLimitError (the TypeScript detail of an error of kind rate_limit, status 429 with a message containing "slow down")',
      got: "APIError (kind rate_limit, status 429): 429: slow down",
    });
  });

  it("judges kind, status, message and retry-after in every language", () => {
    expect(compareOutcome(rateLimited, { error: { ...error, kind: null } })?.got).toBe(
      "an error (kind no known kind, status 429): 429: slow down",
    );
    expect(compareOutcome(rateLimited, { error: { ...error, message: "busy" } })?.expected).toMatch(/slow down/);
    expect(compareOutcome(rateLimited, { error: { ...error, retry_after_ms: 7 } })).toEqual({
      expected: "a retry-after of 7000 ms read from the headers",
      got: "7 ms",
    });
    expect(compareOutcome(rateLimited, { completion: {} })?.got).toBe("no error (a completion)");
  });

  it("judges a stream's completion only when the SDK assembles one", () => {
    const chunk = { id: "c", object: "chat.completion.chunk", choices: [] };
    const stream: FixtureExpectation = { chunks: [chunk], completion: { id: "c", object: "chat.completion" } };
    expect(compareOutcome(stream, { chunks: [chunk] })).toBeUndefined();
    expect(compareOutcome(stream, { chunks: [chunk], completion: { id: "other" } })?.expected).toBe(
      "the completion the fixture gives",
    );
    expect(compareOutcome(stream, { chunks: [] })?.expected).toBe("1 chunks, as recorded");
    expect(compareOutcome({ completion: { id: "c" } }, {})).toEqual({ expected: "a completion", got: "none" });
  });
});
