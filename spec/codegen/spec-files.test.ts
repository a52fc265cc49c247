import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { forEachSchemaNode } from "./schema-walk.js";
import { DIALECTS_FILE, loadSpecFiles, SPEC_FILE, specRoot } from "./spec-files.js";

function specCopy(edit: (file: string, json: Record<string, unknown>) => void, file: string): string {
  const dir = mkdtempSync(join(tmpdir(), "chatwire-spec-"));
  for (const name of [SPEC_FILE, DIALECTS_FILE, "dialects.schema.json"])
    cpSync(join(specRoot(), name), join(dir, name));
  const json = JSON.parse(readFileSync(join(dir, file), "utf8"));
  edit(file, json);
  writeFileSync(join(dir, file), JSON.stringify(json));
  return dir;
}

describe("the spec files", () => {
  const { spec, dialects } = loadSpecFiles();

  it("states the unknown-field policy in the top-level description", () => {
    expect(spec.description).toMatch(/unknown fields in responses, chunks and error bodies pass/i);
    expect(spec.description).toMatch(/unknown request fields also pass validation and are sent/i);
  });

  it("describes every definition and every field", () => {
    const undocumented: string[] = [];
    for (const [defName, def] of Object.entries(spec.$defs)) {
      if (typeof def.description !== "string") undocumented.push(defName);
      forEachSchemaNode(def, (node) => {
        for (const [field, schema] of Object.entries(
          (node.properties ?? {}) as Record<string, { description?: unknown }>,
        )) {
          if (typeof schema.description !== "string" || schema.description.length === 0) {
            undocumented.push(`${defName}.${field}`);
          }
        }
      });
    }
    expect(undocumented).toEqual([]);
  });

  it("has every $def the other packages rely on", () => {
    for (const name of [
      "ChatCompletionRequest",
      "ChatMessage",
      "Tool",
      "ToolChoice",
      "ResponseFormat",
      "StreamOptions",
      "ChatCompletion",
      "Choice",
      "ChatCompletionChunk",
      "ChunkChoice",
      "Delta",
      "ToolCallDelta",
      "Logprobs",
      "Usage",
      "ErrorBody",
      "OctoAIChatCompletionRequest",
      "PredictionGuardChatCompletionRequest",
      "PredictionGuardChatCompletionChunk",
      "PredictionGuardErrorBody",
      "GradientChatCompletionRequest",
    ]) {
      expect(spec.$defs, name).toHaveProperty(name);
    }
  });

  it("gives each provider's wire facts", () => {
    const byId = Object.fromEntries(dialects.dialects.map((d) => [d.id, d]));
    expect(byId.octoai).toMatchObject({
      base_url: "https://text.octoai.run",
      chat_path: "/v1/chat/completions",
      api_key_env: "OCTOAI_TOKEN",
      base_url_env: [{ name: "OCTOAI_BASE_URL" }],
      stream: { usage_placement: "last_content_chunk", done_sentinel: "[DONE]" },
    });
    expect(byId.predictionguard).toMatchObject({
      base_url: "https://api.predictionguard.com",
      chat_path: "/chat/completions",
      api_key_env: "PREDICTIONGUARD_API_KEY",
      base_url_env: [{ name: "PREDICTIONGUARD_URL" }],
      stream: { error_shape: "string" },
    });
    expect(byId.gradient).toMatchObject({
      base_url: "https://inference.do-ai.run",
      chat_path: "/v1/chat/completions",
      api_key_env: "GRADIENT_MODEL_ACCESS_KEY",
      base_url_env: [
        { name: "GRADIENT_BASE_URL", chat_path: "/chat/completions" },
        { name: "GRADIENT_INFERENCE_ENDPOINT" },
      ],
      stream: { usage_placement: "separate_final_chunk" },
    });
    for (const d of dialects.dialects) expect(d.auth).toEqual({ header: "Authorization", scheme: "Bearer" });
  });

  it("refuses a dialect that names a schema the spec lacks, and says which", () => {
    const dir = specCopy((_, json) => {
      (json.dialects as [{ schemas: { chunk: string } }])[0].schemas.chunk = "NoSuchChunk";
    }, DIALECTS_FILE);
    expect(() => loadSpecFiles(dir)).toThrow(/dialect "octoai" names chunk schema "NoSuchChunk"/);
  });

  it("refuses a dialect table with a malformed entry, naming the field", () => {
    const dir = specCopy((_, json) => {
      (json.dialects as [unknown, { base_url: string }])[1].base_url = "http://insecure.example/";
    }, DIALECTS_FILE);
    expect(() => loadSpecFiles(dir)).toThrow(/\/dialects\/1\/base_url must match pattern/);
  });

  it("refuses a spec that is not valid JSON Schema", () => {
    const dir = specCopy((_, json) => {
      (json.$defs as Record<string, unknown>).Broken = { type: "strnig" };
    }, SPEC_FILE);
    expect(() => loadSpecFiles(dir)).toThrow(/not a valid JSON Schema 2020-12 document/);
  });
});
