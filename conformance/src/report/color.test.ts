import { afterEach, describe, expect, it, vi } from "vitest";
import { createPaint, shouldUseColor } from "./color.js";

const tty = { isTTY: true } as NodeJS.WriteStream;
const pipe = { isTTY: false } as NodeJS.WriteStream;

describe("shouldUseColor", () => {
  it("colours a TTY and nothing else", () => {
    expect(shouldUseColor(tty, {})).toBe(true);
    expect(shouldUseColor(pipe, {})).toBe(false);
    expect(shouldUseColor({} as NodeJS.WriteStream, {})).toBe(false);
  });

  it("turns colour off for a non-empty NO_COLOR and for TERM=dumb", () => {
    expect(shouldUseColor(tty, { NO_COLOR: "1" })).toBe(false);
    expect(shouldUseColor(tty, { NO_COLOR: "" })).toBe(true);
    expect(shouldUseColor(tty, { TERM: "dumb" })).toBe(false);
  });

  it("lets FORCE_COLOR win in both directions", () => {
    expect(shouldUseColor(pipe, { FORCE_COLOR: "1" })).toBe(true);
    expect(shouldUseColor(pipe, { FORCE_COLOR: "" })).toBe(true);
    expect(shouldUseColor(pipe, { FORCE_COLOR: "1", NO_COLOR: "1" })).toBe(true);
    expect(shouldUseColor(tty, { FORCE_COLOR: "0" })).toBe(false);
    expect(shouldUseColor(tty, { FORCE_COLOR: "false" })).toBe(false);
  });
});

describe("createPaint", () => {
  afterEach(() => {
    vi.doUnmock("node:util");
    vi.resetModules();
  });

  it("returns text untouched without colour", () => {
    expect(createPaint(false)("red", "x")).toBe("x");
  });

  it("colours even when stdout is not a TTY, since the caller has decided", () => {
    // Vitest's stdout is not a TTY; styleText would strip the codes if left to check it.
    expect(createPaint(true)("green", "ok")).toBe("\u001b[32mok\u001b[39m");
    expect(createPaint(true)("dim", "x")).toBe("\u001b[2mx\u001b[22m");
  });

  it("hands the style to styleText, telling it not to check stdout itself", async () => {
    const styleText = vi.fn((style: string, text: string) => `<${style}>${text}`);
    vi.resetModules();
    vi.doMock("node:util", async (importOriginal) => ({ ...(await importOriginal<object>()), styleText }));
    const { createPaint: createMockedPaint } = await import("./color.js");
    expect(createMockedPaint(true)("yellow", "skip")).toBe("<yellow>skip");
    expect(styleText).toHaveBeenCalledWith("yellow", "skip", { validateStream: false });
  });

  it("falls back to raw ANSI codes where node:util has no styleText", async () => {
    vi.resetModules();
    vi.doMock("node:util", async (importOriginal) => ({ ...(await importOriginal<object>()), styleText: undefined }));
    const { createPaint: createFallbackPaint } = await import("./color.js");
    expect(createFallbackPaint(true)("red", "no")).toBe("\u001b[31mno\u001b[39m");
    expect(createFallbackPaint(true)("bold", "b")).toBe("\u001b[1mb\u001b[22m");
    expect(createFallbackPaint(false)("red", "no")).toBe("no");
  });
});
