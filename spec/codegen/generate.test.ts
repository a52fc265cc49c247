import { describe, expect, it } from "vitest";
import { generateAll } from "./generate.js";
import { type ChatSpec, loadSpecFiles } from "./spec-files.js";

const { spec, dialects } = loadSpecFiles();
const withDef = (name: string, def: Record<string, unknown>): ChatSpec => ({
  ...spec,
  $defs: { ...spec.$defs, [name]: def },
});

describe("codegen", () => {
  it("is deterministic", async () => {
    expect(await generateAll(spec, dialects)).toEqual(await generateAll(spec, dialects));
  });

  it("marks every file as generated", async () => {
    for (const source of Object.values(await generateAll(spec, dialects))) {
      expect(source.split("\n")[0]).toMatch(/^\/\/ Generated from spec\/.* Do not edit/);
    }
  });

  it("carries a changed description into the generated types", async () => {
    const edited = structuredClone(spec);
    const usage = edited.$defs.Usage as { properties: { prompt_tokens: { description: string } } };
    usage.properties.prompt_tokens.description = "Tokens the prompt took, counted twice.";
    const before = await generateAll(spec, dialects);
    const after = await generateAll(edited, dialects);
    expect(after["types.ts"]).not.toBe(before["types.ts"]);
    expect(after["types.ts"]).toContain("Tokens the prompt took, counted twice.");
  });

  it("types name only the spec's fields, with ranges and defaults as JSDoc", async () => {
    const types = (await generateAll(spec, dialects))["types.ts"] as string;
    const request = types.slice(types.indexOf("export interface ChatCompletionRequest {"));
    const body = request.slice(0, request.indexOf("\n}\n"));
    expect(body).not.toMatch(/\[k: string\]: (unknown|any)/);
    expect(body).toMatch(/@minimum 0\n\s+\* @maximum 2\n\s+\* @default 1\n\s+\*\/\n\s+temperature\?: number \| null;/);
    expect(types).toMatch(/export type GradientChatCompletionRequest = ChatCompletionRequest & \{/);
  });

  it("refuses a keyword the validators could not enforce", async () => {
    await expect(
      generateAll(withDef("Strict", { type: "object", unevaluatedProperties: false }), dialects),
    ).rejects.toThrow(/\$defs\/Strict uses "unevaluatedProperties", which the zod generator cannot enforce/);
  });

  it("enforces if/then on an object, and refuses else, which it does not", async () => {
    const schemas = (await generateAll(spec, dialects))["schemas.ts"] as string;
    expect(schemas).toMatch(/ifThen\(\s*z\.looseObject\(\{\s*top_logprobs: not\(z\.null\(\)/);
    expect(schemas).toContain('"required because top_logprobs is set"');
    const conditional = {
      type: "object",
      if: { required: ["a"] },
      // biome-ignore lint/suspicious/noThenProperty: a JSON Schema `then`, never awaited
      then: { required: ["b"] },
      else: { required: ["c"] },
    };
    await expect(generateAll(withDef("Conditional", conditional), dialects)).rejects.toThrow(
      /\$defs\/Conditional uses "else", which the zod generator cannot enforce/,
    );
  });

  it("refuses a reference cycle between $defs, naming it", async () => {
    const cyclic = withDef("Loop", {
      type: "object",
      properties: { next: { $ref: "#/$defs/Loop" } },
    });
    await expect(generateAll(cyclic, dialects)).rejects.toThrow(/reference cycle \(Loop -> Loop\)/);
  });

  it("refuses a reference outside the spec's $defs", async () => {
    await expect(generateAll(withDef("Remote", { $ref: "https://example.com/x.json" }), dialects)).rejects.toThrow(
      /unsupported \$ref "https:\/\/example.com\/x.json"/,
    );
  });
});
