import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getLlama, LlamaCompletion } from "node-llama-cpp";
import { afterAll, describe, expect, it } from "vitest";
import { BENCH_MODEL_OPTIONS, buildTinyModel } from "./tiny-model.js";
import { WORDS } from "./vocabulary.js";

const directory = mkdtempSync(join(tmpdir(), "chatwire-tiny-model-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe("the bench model's construction", () => {
  // The real bench model is tens of MB and is never written here: the same code at a small size
  // (Q8_0, 4 layers, twice the tiny model's width) shows that llama.cpp loads it and writes words.
  it("loads in llama.cpp and generates words, greedy and sampled, with finite probabilities", async () => {
    const path = join(directory, "bench-small.gguf");
    writeFileSync(path, buildTinyModel({ ...BENCH_MODEL_OPTIONS, embedding: 128, layers: 4, feedForward: 384 }));
    const llama = await getLlama({ gpu: false, build: "never", skipDownload: true });
    const model = await llama.loadModel({ modelPath: path, gpuLayers: 0 });
    const context = await model.createContext({ contextSize: 512, sequences: 2, threads: 1 });
    try {
      const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
      const complete = (seed: number | undefined) =>
        completion.generateCompletion("\u2581hello\u2581world", {
          maxTokens: 24,
          ...(seed === undefined ? { temperature: 0 } : { temperature: 1, seed }),
        });
      const texts = [await complete(undefined), await complete(1), await complete(2)];
      const known = new Set(WORDS);
      for (const text of texts) {
        const words = text.split(/[\s.,!?]+/).filter(Boolean);
        expect(words.length, text).toBeGreaterThan(5);
        expect(words.filter((word) => known.has(word)).length / words.length, text).toBeGreaterThan(0.9);
      }
      expect(new Set(texts).size).toBe(3);

      const sequence = context.getSequence();
      const tokens = model.tokenize("hello world");
      let probabilities: Map<number, number> | undefined;
      for await (const step of sequence.evaluateWithMetadata(tokens, { probabilities: true })) {
        probabilities = step.probabilities;
        break;
      }
      const values = [...(probabilities ?? new Map<number, number>()).values()];
      expect(values.length).toBeGreaterThan(0);
      expect(values.every((value) => Number.isFinite(value))).toBe(true);
    } finally {
      await context.dispose();
      await model.dispose();
    }
  });
});
