import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readGgufFileInfo } from "node-llama-cpp";
import { afterAll, describe, expect, it } from "vitest";
import { checkLoraFile } from "./lora-check.js";
import { buildTinyLora } from "./tiny-lora.js";
import { BENCH_MODEL_OPTIONS, tinyModelShape } from "./tiny-model.js";

const directory = mkdtempSync(join(tmpdir(), "chatwire-tiny-lora-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("buildTinyLora", () => {
  it("writes a llama LoRA adapter: general.type, adapter.type and alpha, then A/B pairs shaped as llama.cpp checks them", async () => {
    const path = join(directory, "tiny-lora.gguf");
    writeFileSync(path, buildTinyLora({ rank: 4, alpha: 8 }));
    expect(() => checkLoraFile(path)).not.toThrow();
    const info = await readGgufFileInfo(path, { sourceType: "filesystem" });
    const metadata = info.metadata as unknown as Record<string, Record<string, unknown>>;
    expect(metadata.general).toMatchObject({ architecture: "llama", type: "adapter", name: "chatwire-tiny-lora" });
    expect(metadata.adapter).toMatchObject({ type: "lora", lora: { alpha: 8 } });

    const { embedding, layers, feedForward, vocabulary } = tinyModelShape();
    const dims = new Map((info.fullTensorInfo ?? []).map((tensor) => [tensor.name, tensor.dimensions.map(Number)]));
    const expected = new Map<string, number[]>([
      ["output.weight.lora_a", [embedding, 4]],
      ["output.weight.lora_b", [4, vocabulary]],
    ]);
    for (let layer = 0; layer < layers; layer++) {
      expected.set(`blk.${layer}.ffn_down.weight.lora_a`, [feedForward, 4]);
      expected.set(`blk.${layer}.ffn_down.weight.lora_b`, [4, embedding]);
    }
    expect(dims).toEqual(expected);
  });

  it("writes the same bytes for the same options, and other bytes for another seed or model", () => {
    const first = sha256(buildTinyLora());
    expect(sha256(buildTinyLora())).toBe(first);
    expect(sha256(buildTinyLora({ seed: 1 }))).not.toBe(first);
    expect(sha256(buildTinyLora({ model: BENCH_MODEL_OPTIONS }))).not.toBe(first);
  });
});
