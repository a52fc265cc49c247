import { describe, expect, it } from "vitest";
import { isRetryableStatus, retryAfterMs, retryDelayMs, serverRetryVerdict } from "./retry.js";

const headers = (init: Record<string, string>) => new Headers(init);

describe("retry policy", () => {
  it("retries 408, 409, 429 and 5xx only", () => {
    expect([400, 401, 403, 404, 408, 409, 422, 429, 500, 502, 503].filter(isRetryableStatus)).toEqual([
      408, 409, 429, 500, 502, 503,
    ]);
  });

  it("backs off from 0.5 s, doubling, capped at 8 s, with at most 25 % jitter", () => {
    const none = () => 0;
    const most = () => 0.999999;
    expect([0, 1, 2, 3, 4, 5, 10].map((n) => retryDelayMs(n, undefined, none))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000, 8000,
    ]);
    expect(retryDelayMs(0, undefined, most)).toBeGreaterThan(375);
    expect(retryDelayMs(0, undefined, most)).toBeLessThanOrEqual(500);
  });

  it("honours retry-after-ms, retry-after seconds and retry-after dates up to 60 s", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterMs(headers({ "retry-after-ms": "250" }), now)).toBe(250);
    expect(retryAfterMs(headers({ "retry-after": "3" }), now)).toBe(3000);
    expect(retryAfterMs(headers({ "retry-after": "Thu, 01 Jan 2026 00:00:10 GMT" }), now)).toBe(10_000);
    expect(retryDelayMs(0, headers({ "retry-after": "2" }))).toBe(2000);
  });

  it("ignores a retry-after that is missing, unreadable, negative or over 60 s", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterMs(undefined)).toBeUndefined();
    expect(retryAfterMs(headers({ "retry-after": "soon" }), now)).toBeUndefined();
    expect(retryAfterMs(headers({ "retry-after": "-1" }), now)).toBeUndefined();
    expect(retryAfterMs(headers({ "retry-after": "61" }), now)).toBeUndefined();
    expect(retryAfterMs(headers({ "retry-after": "Wed, 31 Dec 2025 23:59:00 GMT" }), now)).toBeUndefined();
    expect(retryDelayMs(0, headers({ "retry-after": "3600" }), () => 0)).toBe(500);
  });

  it("lets the server overrule the status with x-should-retry", () => {
    expect(serverRetryVerdict(headers({ "x-should-retry": "true" }))).toBe(true);
    expect(serverRetryVerdict(headers({ "x-should-retry": "false" }))).toBe(false);
    expect(serverRetryVerdict(headers({}))).toBeUndefined();
  });
});
