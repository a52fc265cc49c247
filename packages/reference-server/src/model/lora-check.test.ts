import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type MetadataValue, writeGGUF } from "./gguf.js";
import { checkLoraFile } from "./lora-check.js";
import { buildTinyLora } from "./tiny-lora.js";
import { buildTinyModel } from "./tiny-model.js";

const directory = mkdtempSync(join(tmpdir(), "chatwire-lora-check-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const file = (name: string, bytes: Uint8Array | string) => {
  const path = join(directory, name);
  writeFileSync(path, bytes);
  return path;
};
const strings = (entries: Record<string, string>) =>
  new Map<string, MetadataValue>(Object.entries(entries).map(([key, value]) => [key, { type: "string", value }]));

describe("checkLoraFile", () => {
  it("accepts the generated adapter", () => {
    expect(() => checkLoraFile(file("adapter.gguf", buildTinyLora()))).not.toThrow();
  });

  it("refuses a base model, saying what it found and what to give instead", () => {
    const path = file("model.gguf", buildTinyModel());
    expect(() => checkLoraFile(path)).toThrow(
      `${path} is not a LoRA adapter: its general.type is missing, not "adapter" (a base model?`,
    );
    const typed = file("typed-model.gguf", writeGGUF(strings({ "general.type": "model" }), []));
    expect(() => checkLoraFile(typed)).toThrow('its general.type is "model", not "adapter"');
  });

  it("refuses an adapter of another kind than LoRA", () => {
    const path = file("cvec.gguf", writeGGUF(strings({ "general.type": "adapter", "adapter.type": "cvec" }), []));
    expect(() => checkLoraFile(path)).toThrow(`${path} is an adapter but not a LoRA one: its adapter.type is "cvec"`);
  });

  it("refuses a missing file or one that is not GGUF as the model check does", () => {
    expect(() => checkLoraFile(join(directory, "missing.gguf"))).toThrow(/missing\.gguf: cannot read: ENOENT/);
    expect(() => checkLoraFile(file("notes.gguf", "not weights\n"))).toThrow(/notes\.gguf: not a GGUF file/);
  });
});
