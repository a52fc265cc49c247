import { describe, expect, it } from "vitest";
import { cliLogger } from "./logger.js";

describe("cliLogger", () => {
  it("writes timestamped, leveled lines: info to stdout, warnings and errors to stderr", () => {
    const out: string[] = [];
    const err: string[] = [];
    const log = cliLogger(
      (text) => out.push(text),
      (text) => err.push(text),
      () => new Date("2026-12-01T08:45:34.123Z"),
    );
    log("info", "ready");
    log("warn", "slow");
    log("error", "down");
    expect(out).toEqual(["2026-12-01T08:45:34.123Z info ready\n"]);
    expect(err).toEqual(["2026-12-01T08:45:34.123Z warn slow\n", "2026-12-01T08:45:34.123Z error down\n"]);
  });
});
