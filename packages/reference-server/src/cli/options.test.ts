import { describe, expect, it } from "vitest";
import { OPTIONS } from "./options.js";

describe("the option table", () => {
  it("spells every option and names every variable once", () => {
    const spellings = OPTIONS.flatMap((spec) => spec.flags);
    expect(new Set(spellings).size).toBe(spellings.length);
    const variables = OPTIONS.flatMap((spec) => (spec.env ? [spec.env] : []));
    expect(new Set(variables).size).toBe(variables.length);
  });

  it("gives every option with a value a CHATWIRE_ variable named after its first spelling", () => {
    for (const spec of OPTIONS) {
      const expected = spec.placeholder
        ? `CHATWIRE_${spec.flags[0].slice(2).toUpperCase().replaceAll("-", "_")}`
        : undefined;
      expect(spec.env, spec.flags[0]).toBe(expected);
    }
  });

  it("shows the default it really uses", () => {
    for (const spec of OPTIONS) {
      if (!spec.placeholder || spec.fallback === undefined) continue;
      expect(spec.parse?.(spec.shownDefault as string), spec.flags[0]).toEqual(spec.fallback);
    }
  });
});
