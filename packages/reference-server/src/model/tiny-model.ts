import { type MetadataValue, type Tensor, type TensorType, writeGGUF } from "./gguf.js";
import { gaussian, seededRandom } from "./random.js";
import { PUNCTUATION, WORDS } from "./vocabulary.js";

/** ChatML, the template the generated model is served with. */
export const CHATML_TEMPLATE =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

/** Metadata key of the token-id -> logit-bias map the server applies under a grammar. */
export const STRUCTURED_OUTPUT_BIAS_KEY = "chatwire.structured_output_token_bias";

export interface TinyModelOptions {
  seed?: number;
  embedding?: number;
  layers?: number;
  heads?: number;
  feedForward?: number;
  contextLength?: number;
  /** `general.name`. */
  name?: string;
  /** How the weight matrices are stored (norms stay F32, as llama.cpp expects). */
  tensorType?: TensorType;
}

/** llama.cpp's `general.file_type` for a model whose matrices are all of one type. */
const FILE_TYPES: Record<TensorType, number> = { f32: 0, f16: 1, q8_0: 7 };

/**
 * The compute-bound generated model (`make-model --size bench`): the same construction as the tiny
 * model, 8 times as wide and 6 times as deep, about 42M parameters in Q8_0.
 */
export const BENCH_MODEL_OPTIONS: TinyModelOptions = {
  name: "chatwire-bench",
  embedding: 512,
  layers: 12,
  heads: 8,
  feedForward: 1536,
  tensorType: "q8_0",
};

/** llama.cpp token types. */
const TokenType = { normal: 1, unknown: 2, control: 3, byte: 6 } as const;
/** SentencePiece's word-boundary marker, which the llama tokenizer puts in place of spaces. */
const SPACE = "\u2581";

/** How strongly the output layer steers away from tokens that would not read as words. */
const SUPPRESSED = -40;
/** The end-of-turn logit offset: tuned so that sampled replies end by themselves now and then. */
const STOP_BIAS = 3;
const PUNCTUATION_BIAS = 6;

interface Vocabulary {
  tokens: string[];
  scores: number[];
  types: number[];
  /** Logit offset of each token on the constant residual dimension. */
  bias: number[];
}

function buildVocabulary(): Vocabulary {
  const vocabulary: Vocabulary = { tokens: [], scores: [], types: [], bias: [] };
  const seen = new Set<string>();
  const add = (token: string, type: number, score: number, bias: number) => {
    if (seen.has(token)) return;
    seen.add(token);
    vocabulary.tokens.push(token);
    vocabulary.types.push(type);
    vocabulary.scores.push(score);
    vocabulary.bias.push(bias);
  };
  add("<unk>", TokenType.unknown, 0, SUPPRESSED);
  add("<s>", TokenType.control, 0, SUPPRESSED);
  add("</s>", TokenType.control, 0, SUPPRESSED);
  add("<|im_start|>", TokenType.control, 0, SUPPRESSED);
  add("<|im_end|>", TokenType.control, 0, STOP_BIAS);
  for (let byte = 0; byte < 256; byte++) {
    add(`<0x${byte.toString(16).toUpperCase().padStart(2, "0")}>`, TokenType.byte, 0, SUPPRESSED);
  }
  for (const mark of PUNCTUATION) add(mark, TokenType.normal, -1, PUNCTUATION_BIAS);
  const letters = new Set([SPACE, ..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'-:;()\"/"]);
  for (const letter of letters) add(letter, TokenType.normal, -2, SUPPRESSED);
  // Whole words are added before any prefix, so a word that is also a prefix keeps a word's bias.
  for (const word of WORDS) add(`${SPACE}${word}`, TokenType.normal, word.length, 0);
  for (const word of WORDS) {
    const piece = `${SPACE}${word}`;
    for (let end = 2; end < piece.length; end++) add(piece.slice(0, end), TokenType.normal, end - 1, SUPPRESSED);
  }
  return vocabulary;
}

/** A row-major matrix of `rows` x `columns` normal samples scaled by `scale` (ggml dims: [columns, rows]). */
export function matrix(normal: () => number, columns: number, rows: number, scale: number): Float32Array {
  const data = new Float32Array(columns * rows);
  for (let i = 0; i < data.length; i++) data[i] = normal() * scale;
  return data;
}

const ones = (length: number) => new Float32Array(length).fill(1);

/** The sizes of the generated model that `options` describe; an adapter for it is shaped by these. */
export interface TinyModelShape {
  embedding: number;
  layers: number;
  heads: number;
  feedForward: number;
  vocabulary: number;
}

export function tinyModelShape(options: TinyModelOptions = {}): TinyModelShape {
  return {
    embedding: options.embedding ?? 64,
    layers: options.layers ?? 2,
    heads: options.heads ?? 4,
    feedForward: options.feedForward ?? 128,
    vocabulary: buildVocabulary().tokens.length,
  };
}

/**
 * Writes a small llama-architecture GGUF (tiny by default; `options` scale it up): a ChatML SentencePiece vocabulary of byte tokens and a few
 * hundred English words, and deterministic random weights shaped so that sampling reads as words.
 * Residual dimension 0 holds a constant 1 through every layer (no layer writes to it), and the
 * output layer reads each token's bias from it: byte tokens, control tokens and word fragments get
 * a large negative bias, so only whole words, punctuation and (sometimes) the end of turn are
 * sampled.
 */
export function buildTinyModel(options: TinyModelOptions = {}): Uint8Array {
  const seed = options.seed ?? 20_260_101;
  const { embedding, layers, heads, feedForward } = tinyModelShape(options);
  const contextLength = options.contextLength ?? 32_768;
  const tensorType = options.tensorType ?? "f32";
  const vocabulary = buildVocabulary();
  const vocab = vocabulary.tokens.length;
  const normal = gaussian(seededRandom(seed));

  const tokenEmbedding = matrix(normal, embedding, vocab, 1);
  for (let token = 0; token < vocab; token++) tokenEmbedding[token * embedding] = 1;
  // Scaled with the width so that a wider model's logits spread as the tiny model's do, and the
  // suppressing bias still outweighs them (1 at the tiny model's 64 dimensions).
  const output = matrix(normal, embedding, vocab, 0.6 * Math.sqrt(64 / embedding));
  for (let token = 0; token < vocab; token++) output[token * embedding] = vocabulary.bias[token] as number;
  // Each layer adds to the residual stream, and the final norm divides the constant dimension (and
  // with it the bias) by the stream's size: a deeper model adds less per layer, so the residual grows
  // as much over all layers as the tiny model's two do (1 at 2 layers).
  const depthScale = Math.sqrt(2 / layers);
  /** A projection into the residual stream that leaves the constant dimension alone. */
  const intoResidual = (inputs: number, scale: number) => {
    const data = matrix(normal, inputs, embedding, scale * depthScale);
    data.fill(0, 0, inputs);
    return data;
  };

  const tensors: Tensor[] = [
    { name: "token_embd.weight", dims: [embedding, vocab], data: tokenEmbedding, type: tensorType },
    { name: "output_norm.weight", dims: [embedding], data: ones(embedding) },
    { name: "output.weight", dims: [embedding, vocab], data: output, type: tensorType },
  ];
  const attentionScale = 1 / Math.sqrt(embedding);
  for (let layer = 0; layer < layers; layer++) {
    const block = `blk.${layer}`;
    tensors.push(
      { name: `${block}.attn_norm.weight`, dims: [embedding], data: ones(embedding) },
      {
        name: `${block}.attn_q.weight`,
        type: tensorType,
        dims: [embedding, embedding],
        data: matrix(normal, embedding, embedding, attentionScale * 2),
      },
      {
        name: `${block}.attn_k.weight`,
        type: tensorType,
        dims: [embedding, embedding],
        data: matrix(normal, embedding, embedding, attentionScale * 2),
      },
      {
        name: `${block}.attn_v.weight`,
        type: tensorType,
        dims: [embedding, embedding],
        data: matrix(normal, embedding, embedding, attentionScale),
      },
      {
        name: `${block}.attn_output.weight`,
        type: tensorType,
        dims: [embedding, embedding],
        data: intoResidual(embedding, attentionScale),
      },
      { name: `${block}.ffn_norm.weight`, dims: [embedding], data: ones(embedding) },
      {
        name: `${block}.ffn_gate.weight`,
        type: tensorType,
        dims: [embedding, feedForward],
        data: matrix(normal, embedding, feedForward, attentionScale),
      },
      {
        name: `${block}.ffn_up.weight`,
        type: tensorType,
        dims: [embedding, feedForward],
        data: matrix(normal, embedding, feedForward, attentionScale),
      },
      {
        name: `${block}.ffn_down.weight`,
        type: tensorType,
        dims: [feedForward, embedding],
        data: intoResidual(feedForward, 1 / Math.sqrt(feedForward)),
      },
    );
  }

  const tokenId = (token: string) => vocabulary.tokens.indexOf(token);
  // Grammar-constrained output lets only a few tokens through; the ones that close a string, an
  // object or an array are suppressed here like any fragment, so the model ships a hint that lifts
  // them while a grammar is active. Without it, JSON strings would run until max_tokens.
  const closers = ['"', "<0x22>", "<0x7D>", "<0x5D>"].map(tokenId);
  const structuredOutputBias = Object.fromEntries(closers.map((id) => [String(id), -SUPPRESSED]));
  const metadata = new Map<string, MetadataValue>([
    ["general.architecture", { type: "string", value: "llama" }],
    ["general.name", { type: "string", value: options.name ?? "chatwire-tiny" }],
    ["general.file_type", { type: "u32", value: FILE_TYPES[tensorType] }],
    ["llama.context_length", { type: "u32", value: contextLength }],
    ["llama.embedding_length", { type: "u32", value: embedding }],
    ["llama.block_count", { type: "u32", value: layers }],
    ["llama.feed_forward_length", { type: "u32", value: feedForward }],
    ["llama.rope.dimension_count", { type: "u32", value: embedding / heads }],
    ["llama.attention.head_count", { type: "u32", value: heads }],
    ["llama.attention.head_count_kv", { type: "u32", value: heads }],
    ["llama.attention.layer_norm_rms_epsilon", { type: "f32", value: 1e-5 }],
    ["llama.vocab_size", { type: "u32", value: vocab }],
    ["tokenizer.ggml.model", { type: "string", value: "llama" }],
    ["tokenizer.ggml.tokens", { type: "string[]", value: vocabulary.tokens }],
    ["tokenizer.ggml.scores", { type: "f32[]", value: vocabulary.scores }],
    ["tokenizer.ggml.token_type", { type: "i32[]", value: vocabulary.types }],
    ["tokenizer.ggml.unknown_token_id", { type: "u32", value: tokenId("<unk>") }],
    ["tokenizer.ggml.bos_token_id", { type: "u32", value: tokenId("<s>") }],
    ["tokenizer.ggml.eos_token_id", { type: "u32", value: tokenId("<|im_end|>") }],
    ["tokenizer.ggml.eot_token_id", { type: "u32", value: tokenId("<|im_end|>") }],
    ["tokenizer.ggml.add_bos_token", { type: "bool", value: false }],
    ["tokenizer.ggml.add_eos_token", { type: "bool", value: false }],
    ["tokenizer.chat_template", { type: "string", value: CHATML_TEMPLATE }],
    [STRUCTURED_OUTPUT_BIAS_KEY, { type: "string", value: JSON.stringify(structuredOutputBias) }],
  ]);
  return writeGGUF(metadata, tensors);
}
