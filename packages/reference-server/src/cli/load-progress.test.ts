import { describe, expect, it } from "vitest";
import type { LogLevel } from "../log.js";
import { loadProgressLogger } from "./load-progress.js";

describe("loadProgressLogger", () => {
  const setUp = () => {
    let time = 0;
    const lines: string[] = [];
    const progress = loadProgressLogger((level: LogLevel, message) => lines.push(`${level} ${message}`), "m.gguf", {
      now: () => time,
    });
    return { progress, lines, at: (ms: number) => (time = ms) };
  };

  it("says nothing during the first second", () => {
    const { progress, lines, at } = setUp();
    for (const [ms, fraction] of [
      [100, 0.2],
      [500, 0.6],
      [999, 1],
    ] as const) {
      at(ms);
      progress(fraction);
    }
    expect(lines).toEqual([]);
  });

  it("then logs each 10 % passed, once", () => {
    const { progress, lines, at } = setUp();
    at(1500);
    for (const fraction of [0.05, 0.12, 0.15, 0.31, 0.99, 1]) progress(fraction);
    expect(lines).toEqual([
      "info loading m.gguf: 0%",
      "info loading m.gguf: 10%",
      "info loading m.gguf: 30%",
      "info loading m.gguf: 90%",
      "info loading m.gguf: 100%",
    ]);
  });
});
