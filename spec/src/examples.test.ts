import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { loadSpecFiles } from "../codegen/spec-files.js";
import { loadExamples } from "./examples.js";

const { spec, dialects } = loadSpecFiles();
const examples = loadExamples();
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema(spec);
const validatorFor = (defName: string) => {
  const validate = ajv.getSchema(`${spec.$id}#/$defs/${defName}`);
  if (!validate) throw new Error(`no $defs/${defName} in the spec`);
  return validate;
};

describe("the example corpus", () => {
  it("is large enough and names are unique", () => {
    expect(examples.length).toBeGreaterThanOrEqual(40);
    expect(new Set(examples.map((e) => e.name)).size).toBe(examples.length);
  });

  it("holds a valid and an invalid example of every provider extension and dialect schema", () => {
    const providerDefs = Object.keys(spec.$defs).filter((name) => /^(OctoAI|PredictionGuard|Gradient)/.test(name));
    const dialectDefs = dialects.dialects.flatMap((d) => Object.values(d.schemas));
    for (const defName of new Set([...providerDefs, ...dialectDefs])) {
      const verdicts = new Set(examples.filter((e) => e.schema === defName).map((e) => e.valid));
      expect([...verdicts].sort(), defName).toEqual([false, true]);
    }
  });

  it.each(examples.map((e) => [`${e.file}: ${e.name}`, e] as const))("%s gets the verdict it states", (_, example) => {
    const validate = validatorFor(example.schema);
    const accepted = validate(example.document);
    expect(accepted, JSON.stringify(validate.errors)).toBe(example.valid);
  });
});
