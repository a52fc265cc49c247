import { describe, expect, it } from "vitest";
import { TextPieces } from "./text-pieces.js";

describe("TextPieces", () => {
  it("gives back the pieces in order across several blocks, and again after more pieces", () => {
    const pieces = new TextPieces();
    const expected: string[] = [];
    for (let i = 0; i < 2500; i++) {
      pieces.push(` w${i}`);
      expected.push(` w${i}`);
    }
    expect(pieces.text()).toBe(expected.join(""));
    expect(pieces.text()).toBe(expected.join(""));
    for (let i = 0; i < 1500; i++) {
      pieces.push(`é${i}`);
      expected.push(`é${i}`);
    }
    expect(pieces.text()).toBe(expected.join(""));
  });

  it("is empty text with no pieces, and keeps empty pieces", () => {
    const pieces = new TextPieces();
    expect(pieces.text()).toBe("");
    pieces.push("");
    pieces.push("a");
    expect(pieces.text()).toBe("a");
  });
});
