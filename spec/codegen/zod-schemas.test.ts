import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod/mini";
import type { SchemaNode } from "./schema-walk.js";
import type { ChatSpec } from "./spec-files.js";
import { generateZodSchemas } from "./zod-schemas.js";

/**
 * One definition per keyword the generator accepts, with values on both sides of the rule: the
 * generated zod/mini schema must give ajv's verdict on every value, and so must the schema that
 * z.toJSONSchema turns it back into.
 */
const CASES: Record<string, { schema: SchemaNode; values: unknown[] }> = {
  Types: { schema: { type: ["string", "integer", "null"] }, values: ["a", 1, null, 1.5, true, {}, []] },
  Boolean: { schema: { type: "boolean" }, values: [true, false, 0, "true", null] },
  Number: {
    schema: { type: "number", minimum: -2, maximum: 2, multipleOf: 0.5 },
    values: [-2, 2, 0.5, 1.25, -2.5, 3, "1"],
  },
  ExclusiveBounds: { schema: { type: "integer", exclusiveMinimum: 0, exclusiveMaximum: 3 }, values: [0, 1, 2, 3, 1.5] },
  String: {
    schema: { type: "string", minLength: 2, maxLength: 4, pattern: "^[a-z_-]+$" },
    values: ["ab", "abcd", "a", "abcde", "AB", "a-b", 12],
  },
  Enum: { schema: { type: ["string", "null"], enum: ["low", "high", 3] }, values: ["low", "high", 3, null, "mid"] },
  EnumWithNull: { schema: { enum: ["a", null] }, values: ["a", null, "b", 0] },
  Const: { schema: { const: true }, values: [true, false, "true", null] },
  Array: {
    schema: { type: "array", minItems: 1, maxItems: 2, items: { type: "integer", minimum: 0 } },
    values: [[0], [0, 1], [], [0, 1, 2], [-1], ["0"], "x"],
  },
  ArrayOfAnything: { schema: { type: "array" }, values: [[], [1, "a", null], {}] },
  Object: {
    schema: { type: "object", properties: { a: { type: "string" }, b: { type: "integer" } }, required: ["a"] },
    values: [{ a: "x" }, { a: "x", b: 1, c: true }, { b: 1 }, { a: 1 }, { a: "x", b: "1" }, [], "x", null],
  },
  RequiredWithoutProperty: {
    schema: { type: "object", required: ["k"] },
    values: [{ k: null }, { k: 0 }, {}, { j: 1 }],
  },
  Closed: {
    schema: { type: "object", properties: { a: { type: "string" } }, additionalProperties: false },
    values: [{}, { a: "x" }, { a: "x", b: 1 }],
  },
  Map: {
    schema: {
      type: ["object", "null"],
      additionalProperties: { type: "string", maxLength: 2 },
      maxProperties: 2,
      propertyNames: { maxLength: 3 },
    },
    values: [null, {}, { a: "xy" }, { a: "xyz" }, { a: "x", b: "y", c: "z" }, { abcd: "x" }, { a: 1 }, "a"],
  },
  Dependent: {
    schema: { type: "object", dependentSchemas: { card: { required: ["billing"] } } },
    values: [{}, { billing: 1 }, { card: 1, billing: 2 }, { card: 1 }],
  },
  IfThen: {
    schema: {
      type: "object",
      properties: { level: { type: ["integer", "null"] }, on: { type: ["boolean", "null"] } },
      if: { properties: { level: { not: { type: "null" } } }, required: ["level"] },
      // biome-ignore lint/suspicious/noThenProperty: a JSON Schema `then`, never awaited
      then: { properties: { on: { const: true } }, required: ["on"] },
    },
    values: [{}, { level: null }, { level: 1, on: true }, { level: 1 }, { level: 1, on: false }, { on: false }],
  },
  Not: { schema: { not: { type: "string" } }, values: [1, null, {}, "x"] },
  AnyOf: {
    schema: { anyOf: [{ type: "string", maxLength: 1 }, { type: "integer" }, { type: "null" }] },
    values: ["a", "ab", 1, 1.5, null, true],
  },
  OneOf: { schema: { oneOf: [{ type: "integer" }, { type: "number", minimum: 10 }] }, values: [1, 10.5, 20, 5.5, "1"] },
  AllOf: {
    schema: {
      allOf: [{ $ref: "#/$defs/Object" }, { type: "object", properties: { b: { type: "integer", maximum: 5 } } }],
    },
    values: [{ a: "x" }, { a: "x", b: 5 }, { a: "x", b: 6 }, { b: 1 }],
  },
  Ref: { schema: { type: "array", items: { $ref: "#/$defs/Enum" } }, values: [[], ["low", 3], ["mid"]] },
};

const spec: ChatSpec = {
  $id: "urn:chatwire:test",
  description: "keyword cases",
  $defs: Object.fromEntries(Object.entries(CASES).map(([name, { schema }]) => [name, schema])),
};
const ajv = new Ajv2020({ strict: false }).addSchema(spec);
const ajvVerdict = (name: string, value: unknown): boolean => {
  const validate = ajv.getSchema(`${spec.$id}#/$defs/${name}`);
  if (!validate) throw new Error(`ajv has no ${name}`);
  return validate(value) as boolean;
};

let dir: string;
let schemas: Record<string, z.ZodMiniType>;

beforeAll(async () => {
  // The generated module is written outside the repository, so its zod imports are made absolute;
  // they resolve to the very files this test imports, so both sides share one zod.
  const zodRoot = dirname(createRequire(import.meta.url).resolve("zod/package.json"));
  const source = generateZodSchemas(spec, "// test\n")
    .replace('from "zod/mini"', `from ${JSON.stringify(pathToFileURL(join(zodRoot, "mini/index.js")).href)}`)
    .replace('from "zod/locales"', `from ${JSON.stringify(pathToFileURL(join(zodRoot, "locales/index.js")).href)}`);
  dir = mkdtempSync(join(tmpdir(), "chatwire-zod-"));
  writeFileSync(join(dir, "schemas.ts"), source);
  ({ specSchemas: schemas } = await import(pathToFileURL(join(dir, "schemas.ts")).href));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the zod/mini generator", () => {
  it.each(Object.keys(CASES))("enforces %s as ajv does, and so does its JSON Schema", (name) => {
    const schema = schemas[name] as z.ZodMiniType;
    const roundTripped = ajv.compile(z.toJSONSchema(schema, { target: "draft-2020-12", unrepresentable: "throw" }));
    const verdicts = (CASES[name] as { values: unknown[] }).values.map((value) => {
      const expected = ajvVerdict(name, value);
      expect(schema.safeParse(value).success, `zod on ${JSON.stringify(value)}`).toBe(expected);
      expect(roundTripped(value), `round trip on ${JSON.stringify(value)}`).toBe(expected);
      return expected;
    });
    // Every case has values on both sides, so a schema that accepts or refuses everything fails it.
    if (name !== "ArrayOfAnything") expect(new Set(verdicts)).toEqual(new Set([true, false]));
  });

  it("writes zod/mini calls only, and refinements only where the spec uses them", () => {
    const source = generateZodSchemas(spec, "// test\n");
    expect(source).toContain('import * as z from "zod/mini";');
    // Classic zod's methods; zod/mini has functions for them (z.optional(...), .check(z.gte(1))).
    expect(source).not.toMatch(/(?<!\bz)\.(optional|nullable|min|max|gte|regex|superRefine|refine|meta)\(/);
    const minimal = generateZodSchemas({ ...spec, $defs: { Only: { type: "string" } } }, "");
    expect(minimal).not.toMatch(/function (maxProperties|propertyNames|ifThen|not)\(/);
  });

  it("says what is wrong, in English", () => {
    const problems = (name: string, value: unknown) =>
      (schemas[name] as z.ZodMiniType).safeParse(value).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(problems("Object", { a: 1 })).toEqual(["a: Invalid input: expected string, received number"]);
    expect(problems("Number", 3)).toEqual([": Too big: expected number to be <=2"]);
    expect(problems("Map", { abcd: "x" })).toEqual([
      "abcd: property name is invalid: Too big: expected string to have <=3 characters",
    ]);
    expect(problems("IfThen", { level: 1 })).toEqual([
      "on: Invalid input: expected true (required because level is set)",
    ]);
    expect(problems("Not", "x")).toEqual([": Invalid input: must not be string"]);
  });

  it("refuses what it cannot write as a schema", () => {
    const refuse = (def: SchemaNode) => () => generateZodSchemas({ ...spec, $defs: { Bad: def } }, "");
    expect(refuse({ minimum: 1 })).toThrow(/\$defs\/Bad: "minimum" without "type"/);
    expect(refuse({ type: "string", minimum: 1 })).toThrow(/"minimum" on a non-number type/);
    expect(refuse({ type: "string", enum: ["a"], maxLength: 1 })).toThrow(/"enum"\/"const" together with "maxLength"/);
    expect(refuse({ const: { a: 1 } })).toThrow(/an object or array in "enum"\/"const"/);
    expect(refuse({ type: "object", if: { required: ["a"] } })).toThrow(/"if" without "then"/);
  });
});
