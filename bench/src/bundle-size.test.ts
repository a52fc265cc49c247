import { describe, expect, it } from "vitest";
import { bundle, zodBytes } from "./bundle-size.js";

// Correctness only: the sizes mean nothing if a build leaves out what the program runs.
describe("bundle suite", () => {
  it("splits the validators off chatwire's main chunk, and keeps them in the one file", async () => {
    for (const mode of ["on", "off"] as const) {
      const [single] = await bundle(`chatwire, validation ${mode}`, false);
      const chunks = await bundle(`chatwire, validation ${mode}`, true);
      expect(chunks.filter((chunk) => chunk.main)).toHaveLength(1);
      const main = chunks.find((chunk) => chunk.main);
      const validators = chunks.find((chunk) =>
        Object.keys(chunk.inputs).some((input) => input.endsWith("generated/schemas.js")),
      );
      expect(main && zodBytes(main)).toBe(0);
      expect(validators && zodBytes(validators)).toBeGreaterThan(10_000);
      // The same zod code, minified apart (names differ a little between the two builds).
      expect(Math.abs((single ? zodBytes(single) : 0) / (validators ? zodBytes(validators) : 1) - 1)).toBeLessThan(
        0.05,
      );
      expect(Object.keys(main?.inputs ?? {})).toEqual(
        expect.arrayContaining([expect.stringMatching(/gradient\/dist\/client\.js$/)]),
      );
    }
  });

  it("builds openai's client and its streaming into the bundle", async () => {
    const [single] = await bundle("openai", false);
    const inputs = Object.keys(single?.inputs ?? {});
    expect(inputs).toEqual(expect.arrayContaining([expect.stringMatching(/node_modules\/openai\/.*streaming/)]));
    expect(single?.gzip).toBeLessThan(single?.minified ?? 0);
  });
});
