import { describe, expect, it } from "vitest";
import { tokenPiece, vocabularyBytes } from "./token-pieces.js";

describe("token pieces", () => {
  it("reads SentencePiece byte tokens and GPT-2 byte-level spellings", () => {
    expect(vocabularyBytes("<0xC3>", "llama")).toEqual([0xc3]);
    expect(vocabularyBytes("Ã", "gpt2")).toEqual([0xc3]);
    expect(vocabularyBytes("Ġthe", "gpt2")).toEqual([0x20, 0x74, 0x68, 0x65]);
    expect(vocabularyBytes("▁the", "llama")).toBeUndefined();
  });

  it("gives the text of a whole character and the bytes of a part of one", () => {
    expect(tokenPiece(" the", "▁the", "llama")).toBe(" the");
    expect(tokenPiece("\uFFFD", "<0xC3>", "llama")).toEqual([0xc3]);
    expect(tokenPiece("{", "<0x7B>", "llama")).toBe("{");
    expect(tokenPiece("\uFFFD", "<0x7B>", "llama")).toBe("{");
  });
});
