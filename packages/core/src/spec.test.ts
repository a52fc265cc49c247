import { loadExamples } from "@chatwire/spec/examples";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { dialects, type GradientChatCompletionRequest } from "./index.js";
import { dialectValidators, type SpecSchemaName, specSchemas } from "./validators.js";

const examples = loadExamples();
const ajv = new Ajv2020({ strict: false, allErrors: true });
const schemaFor = (name: string) => {
  if (!(name in specSchemas)) throw new Error(`the corpus names ${name}, which is not a generated schema`);
  return specSchemas[name as SpecSchemaName];
};
/** The generated zod schema turned back into JSON Schema and compiled, once per name. */
const roundTripped = new Map(
  Object.entries(specSchemas).map(([name, schema]) => [
    name,
    ajv.compile(z.toJSONSchema(schema, { target: "draft-2020-12", unrepresentable: "throw" })),
  ]),
);

describe("generated zod validators", () => {
  it("exist for every spec definition and convert back to JSON Schema", () => {
    expect(Object.keys(specSchemas).length).toBeGreaterThanOrEqual(38);
    expect(roundTripped.size).toBe(Object.keys(specSchemas).length);
  });

  it.each(examples.map((e) => [`${e.file}: ${e.name}`, e] as const))(
    "%s: zod and the round-tripped JSON Schema give the spec's verdict",
    (_, example) => {
      const parsed = schemaFor(example.schema).safeParse(example.document);
      expect(parsed.success, parsed.error?.message).toBe(example.valid);
      const validate = roundTripped.get(example.schema);
      expect(validate?.(example.document), JSON.stringify(validate?.errors)).toBe(example.valid);
    },
  );

  it("keep unknown fields in responses, chunks and requests", () => {
    const chunk = {
      id: "c1",
      object: "chat.completion.chunk",
      created: 1,
      model: "m",
      provider_trace: { region: "x" },
      choices: [{ index: 0, delta: { content: "hi", novel_delta_field: 1 }, finish_reason: null }],
    };
    expect(specSchemas.ChatCompletionChunk.parse(chunk)).toEqual(chunk);
    const request = { model: "m", messages: [{ role: "user", content: "hi" }], brand_new_knob: 0.5 };
    expect(specSchemas.GradientChatCompletionRequest.parse(request)).toEqual(request);
  });

  it("never fill in server-side defaults", () => {
    const request = { model: "m", messages: [{ role: "user", content: "hi" }] };
    const parsed = specSchemas.PredictionGuardChatCompletionRequest.parse(request);
    expect(parsed).toEqual(request);
    expect(parsed).not.toHaveProperty("max_completion_tokens");
  });

  it("name the JSON path of what is wrong", () => {
    const result = specSchemas.GradientChatCompletionRequest.safeParse({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      top_logprobs: 3,
      metadata: { ["k".repeat(65)]: "v" },
    });
    const problems = result.error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^logprobs: .*required because top_logprobs is set/),
        expect.stringMatching(/^metadata\.k{65}: property name is invalid/),
      ]),
    );
  });
});

describe("dialect table", () => {
  it("pairs each dialect's wire facts with its validators", () => {
    expect(dialectValidators.gradient.request).toBe(specSchemas.GradientChatCompletionRequest);
    expect(dialectValidators.predictionguard.chunk).toBe(specSchemas.PredictionGuardChatCompletionChunk);
    expect(dialects.octoai.base_url).toBe("https://text.octoai.run");
    expect(Object.keys(dialects).sort()).toEqual(["gradient", "octoai", "predictionguard"]);
  });
});

describe("generated types", () => {
  it("reject fields the spec does not name, and values out of the types", () => {
    const request: GradientChatCompletionRequest = {
      model: "m",
      messages: [{ role: "developer", content: "be brief" }],
      metadata: { team: "a" },
      // @ts-expect-error a misspelt field is a compile error, though the validators let unknown fields through
      temprature: 0.2,
    };
    // @ts-expect-error role must be one of the spec's roles
    const badRole: GradientChatCompletionRequest = { model: "m", messages: [{ role: "robot", content: "x" }] };
    expect([request, badRole]).toHaveLength(2);
  });
});
