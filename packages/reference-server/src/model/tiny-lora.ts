import { type MetadataValue, type Tensor, writeGGUF } from "./gguf.js";
import { gaussian, seededRandom } from "./random.js";
import { matrix, type TinyModelOptions, tinyModelShape } from "./tiny-model.js";

export interface TinyLoraOptions {
  /** The generated model the adapter is for (the tiny one when left out). */
  model?: TinyModelOptions;
  seed?: number;
  /** Rank of each A/B pair. */
  rank?: number;
  /** `adapter.lora.alpha`: llama.cpp scales each pair's product by alpha / rank. */
  alpha?: number;
  /** `general.name`. */
  name?: string;
}

/**
 * One A/B pair as llama.cpp's convert_lora_to_gguf.py names and shapes them: for a base weight of
 * ggml dims [inputs, outputs], `<name>.lora_a` is [inputs, rank] and `<name>.lora_b` [rank, outputs],
 * so the weight becomes W + (alpha / rank) * B A (llama-adapter.cpp checks these shapes).
 */
function loraPair(
  base: string,
  a: Float32Array,
  b: Float32Array,
  inputs: number,
  outputs: number,
  rank: number,
): Tensor[] {
  return [
    { name: `${base}.lora_a`, dims: [inputs, rank], data: a },
    { name: `${base}.lora_b`, dims: [rank, outputs], data: b },
  ];
}

/**
 * Writes a LoRA adapter GGUF for the generated model: deterministic random A/B pairs on the output
 * layer and on every layer's feed-forward down projection, strong enough that greedy decoding picks
 * other words. Like the model, it leaves residual dimension 0 (the constant that carries each
 * token's bias) alone: the output pair never reads it and the down projections never write it, so
 * byte tokens and word fragments stay suppressed and the output still reads as words.
 */
export function buildTinyLora(options: TinyLoraOptions = {}): Uint8Array {
  const { embedding, layers, feedForward, vocabulary } = tinyModelShape(options.model);
  const rank = options.rank ?? 8;
  const alpha = options.alpha ?? rank;
  const normal = gaussian(seededRandom(options.seed ?? 20_260_202));

  // A reads the normalized residual (about unit size per dimension) into `rank` unit-size values;
  // B turns them into logit offsets about as spread as the base model's own logits.
  const outputA = matrix(normal, embedding, rank, 1 / Math.sqrt(embedding));
  for (let row = 0; row < rank; row++) outputA[row * embedding] = 0;
  const outputB = matrix(normal, rank, vocabulary, 4 / Math.sqrt(rank));
  const tensors: Tensor[] = [...loraPair("output.weight", outputA, outputB, embedding, vocabulary, rank)];
  for (let layer = 0; layer < layers; layer++) {
    const downA = matrix(normal, feedForward, rank, 1 / Math.sqrt(feedForward));
    const downB = matrix(normal, rank, embedding, 1 / Math.sqrt(rank * layers));
    downB.fill(0, 0, rank);
    tensors.push(...loraPair(`blk.${layer}.ffn_down.weight`, downA, downB, feedForward, embedding, rank));
  }

  const metadata = new Map<string, MetadataValue>([
    ["general.architecture", { type: "string", value: "llama" }],
    ["general.type", { type: "string", value: "adapter" }],
    ["general.name", { type: "string", value: options.name ?? "chatwire-tiny-lora" }],
    ["adapter.type", { type: "string", value: "lora" }],
    ["adapter.lora.alpha", { type: "f32", value: alpha }],
  ]);
  return writeGGUF(metadata, tensors);
}
