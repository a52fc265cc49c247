import { Template } from "@huggingface/jinja";
import {
  getLlama,
  type Llama,
  type LlamaContext,
  type LlamaGrammar,
  type LlamaModel,
  type Token,
} from "node-llama-cpp";
import { checkGGUFFile } from "../model/gguf-check.js";
import { checkLoraFile } from "../model/lora-check.js";
import { STRUCTURED_OUTPUT_BIAS_KEY } from "../model/tiny-model.js";
import { type AdapterSet, BatchDecoder } from "./batch-decoder.js";
import { loadNativeLora, nativeContext } from "./native.js";
import { type PromptModel, type TemplateMessage, tokenizePrompt } from "./prompt.js";
import { type TokenPiece, tokenPiece } from "./token-pieces.js";

export type { TemplateMessage } from "./prompt.js";

export type GpuChoice = "auto" | "cuda" | "vulkan" | "off";

/** A LoRA adapter to load: requests name it in OctoAI's `peft`. */
export interface LoraFile {
  name: string;
  /** A GGUF adapter for the served model. */
  path: string;
}

export interface RuntimeOptions {
  modelPath: string;
  gpu: GpuChoice;
  /** CPU threads for generation. */
  threads: number;
  /** Context sequences, i.e. choices decoded at once. */
  parallel: number;
  /** Tokens each sequence can hold. */
  contextSize: number;
  /** LoRA adapters to load with the model, each under its own name; none when left out. */
  loras?: readonly LoraFile[] | undefined;
  /** Called as the weights load, with the fraction loaded so far (0 to 1). */
  onLoadProgress?: ((fraction: number) => void) | undefined;
}

/**
 * The loaded model and its context: one llama.cpp context with `parallel` sequences, so concurrent
 * requests are decoded in the same batches.
 */
export class Runtime implements PromptModel {
  /** Text of the tokens that special-token parsing produces (control and user-defined ones). */
  readonly specialTexts: readonly string[];
  /** UTF-8 bytes of the longest token: no prompt of more than context × this many bytes fits. */
  readonly maxTokenBytes: number;
  /** The fewest tokens one more message adds to a prompt, whatever its role. */
  readonly tokensPerMessage: number;
  /** The model's end-of-generation tokens. */
  readonly endTokens: readonly Token[];
  /** Each token's vocabulary entry, by id, and the tokenizer that spells them (`llama`, `gpt2`, ...). */
  readonly #vocabulary: readonly string[];
  readonly #tokenizerModel: string | undefined;
  /** Decodes every sequence's tokens together, one batch per generated token. */
  readonly decoder: BatchDecoder;

  private constructor(
    readonly llama: Llama,
    readonly model: LlamaModel,
    readonly context: LlamaContext,
    readonly options: RuntimeOptions,
    private readonly template: Template,
    private readonly templateTokens: { bos_token: string; eos_token: string },
    private readonly structuredOutputBias: ReadonlyMap<Token, number>,
    /** The LoRA adapters a request may name (OctoAI's `peft`), by name. */
    readonly adapters: ReadonlyMap<string, AdapterSet>,
  ) {
    this.decoder = new BatchDecoder(nativeContext(context), context.batchSize);
    const metadata = model.fileInfo.metadata.tokenizer?.ggml as unknown as
      | { tokens?: readonly string[]; token_type?: readonly number[]; model?: string }
      | undefined;
    const texts = metadata?.tokens ?? [];
    this.#vocabulary = texts;
    this.#tokenizerModel = metadata?.model;
    const types = metadata?.token_type ?? [];
    // llama.cpp's token types: 3 control, 4 user-defined; both are matched when parsing specials.
    this.specialTexts = texts.filter((_, id) => types[id] === 3 || types[id] === 4);
    this.maxTokenBytes = Math.max(4, ...texts.map((text) => Buffer.byteLength(text)));
    this.endTokens = texts.map((_, id) => id as Token).filter((id) => model.isEogToken(id));
    const cost = (messages: TemplateMessage[]) => this.tokenize(this.render(messages), true).length;
    const base = cost([]);
    this.tokensPerMessage = Math.max(
      1,
      Math.min(...["system", "user", "assistant"].map((role) => cost([{ role, content: "" }]) - base)),
    );
  }

  static async load(options: RuntimeOptions): Promise<Runtime> {
    // llama.cpp trusts the header's counts: a lying header can spin or exhaust memory for minutes.
    checkGGUFFile(options.modelPath);
    const loras = options.loras ?? [];
    for (const { path } of loras) checkLoraFile(path);
    // build "never" and skipDownload: a missing prebuilt binary must be an error, never a compile.
    const llama = await getLlama({
      gpu: options.gpu === "off" ? false : options.gpu,
      build: "never",
      skipDownload: true,
      logLevel: "error" as never,
      progressLogs: false,
    });
    const model = await llama.loadModel({
      modelPath: options.modelPath,
      gpuLayers: options.gpu === "off" ? 0 : "auto",
      ...(options.onLoadProgress && { onLoadProgress: options.onLoadProgress }),
    });
    const adapters = await loadAdapters(model, loras);
    const context = await model.createContext({
      sequences: options.parallel,
      contextSize: options.contextSize,
      threads: options.threads,
      batchSize: Math.min(512, options.contextSize),
    });
    const metadata = model.fileInfo.metadata as unknown as Record<string, Record<string, unknown>>;
    const chatTemplate = metadata.tokenizer?.chat_template;
    if (typeof chatTemplate !== "string") {
      throw new Error(
        `${options.modelPath} has no tokenizer.chat_template; the server needs one to render chat messages.`,
      );
    }
    const detokenize = (token: Token | null) => (token === null ? "" : model.detokenize([token], true));
    const bias = new Map<Token, number>();
    // node-llama-cpp nests metadata by the dots of its keys.
    const [scope, name] = STRUCTURED_OUTPUT_BIAS_KEY.split(".") as [string, string];
    const hint = metadata[scope]?.[name];
    if (typeof hint === "string") {
      for (const [id, value] of Object.entries(JSON.parse(hint) as Record<string, number>))
        bias.set(Number(id) as Token, value);
    }
    return new Runtime(
      llama,
      model,
      context,
      options,
      new Template(chatTemplate),
      { bos_token: detokenize(model.tokens.bos), eos_token: detokenize(model.tokens.eos) },
      bias,
      new Map(adapters.map((adapter) => [adapter.key, adapter])),
    );
  }

  /** Where the model runs: `cuda`, `vulkan`, `metal` or `cpu`. */
  get device(): string {
    return this.llama.gpu === false ? "cpu" : this.llama.gpu;
  }

  /** The prompt exactly as the model's chat template renders it, ready for the assistant's turn. */
  render(messages: readonly TemplateMessage[]): string {
    return this.template.render({ messages, add_generation_prompt: true, ...this.templateTokens });
  }

  tokenize(text: string, specialTokens: boolean): Token[] {
    return this.model.tokenize(text, specialTokens);
  }

  /**
   * Text as llama-server's `/tokenize` tokenizes it: special tokens parsed when `parseSpecial`, the
   * model's BOS (and EOS) added when `addSpecial` and its tokenizer adds them.
   */
  tokenizeText(text: string, addSpecial: boolean, parseSpecial: boolean): Token[] {
    const tokens = this.model.tokenize(text, parseSpecial);
    if (!addSpecial) return tokens;
    const { bos, eos, shouldPrependBosToken, shouldAppendEosToken } = this.model.tokens;
    return [
      ...(shouldPrependBosToken && bos !== null ? [bos] : []),
      ...tokens,
      ...(shouldAppendEosToken && eos !== null ? [eos] : []),
    ];
  }

  /** A token's piece for `/tokenize` with `with_pieces`: its text, or its bytes when they are not whole UTF-8. */
  tokenPiece(token: Token): TokenPiece {
    const text = this.model.detokenize([token], true, [this.#anchor()]);
    return tokenPiece(text, this.#vocabulary[token] ?? "", this.#tokenizerModel);
  }

  /** Tokens back to text, as `/detokenize` answers. */
  detokenize(tokens: readonly Token[]): string {
    return this.model.detokenize(tokens, true);
  }

  /** The prompt's tokens; only the template's own markers are control tokens (see prompt.ts). */
  tokenizePrompt(messages: readonly TemplateMessage[]): Promise<Token[]> {
    return tokenizePrompt(this, messages);
  }

  /**
   * A token's text where it stands: after `previous`, so a word keeps its leading space. A lone
   * byte of a longer character comes out as U+FFFD.
   */
  tokenText(token: Token, previous: readonly Token[]): string {
    return this.model.detokenize([token], false, previous.length > 0 ? [...previous] : [this.#anchor()]);
  }

  /** Any token to stand before the first one, so the first keeps its leading space too. */
  #anchor(): Token {
    return this.model.tokens.bos ?? (0 as Token);
  }

  /**
   * The sampler's bias for a request: with a grammar, the model's structured-output hint first, then
   * the request's own. A bias on an end token works, as in llama-server. A ban is a huge finite
   * penalty rather than -Infinity, so a grammar that needs a banned token can still be followed; the
   * generator then sees the banned token and ends the request with the conflict.
   */
  tokenBias(biases: ReadonlyMap<Token, number>, grammar: LlamaGrammar | undefined): Map<Token, number> | undefined {
    if (biases.size === 0 && !(grammar && this.structuredOutputBias.size > 0)) return undefined;
    const bias = new Map<Token, number>(grammar ? this.structuredOutputBias : []);
    for (const [token, value] of biases) bias.set(token, value);
    return bias;
  }

  structuredGrammar(kind: "json"): Promise<LlamaGrammar>;
  structuredGrammar(kind: "schema", schema: object): Promise<LlamaGrammar>;
  structuredGrammar(kind: "json" | "schema", schema?: object): Promise<LlamaGrammar> {
    if (kind === "json") return this.llama.getGrammarFor("json");
    return this.llama.createGrammarForJsonSchema(schema as never);
  }

  get vocabularySize(): number {
    return this.model.fileInfo.metadata.tokenizer?.ggml?.tokens?.length ?? 0;
  }

  async dispose(): Promise<void> {
    await this.decoder.close(new Error("The model is being unloaded."));
    await this.context.dispose();
    await this.model.dispose();
    await this.llama.dispose();
  }
}

/** Each adapter as a set of its own, at full scale, keyed by its name; a refused one fails the load. */
async function loadAdapters(model: LlamaModel, loras: readonly LoraFile[]): Promise<AdapterSet[]> {
  const sets: AdapterSet[] = [];
  for (const { name, path } of loras) {
    try {
      sets.push({ key: name, adapters: [await loadNativeLora(model, path)], scales: [1] });
    } catch (error) {
      // llama.cpp's reason reaches node-llama-cpp's logger through a thread-safe callback, queued
      // after this rejection: one turn of the event loop lets it land before the load fails.
      await new Promise((resolve) => setImmediate(resolve));
      throw new Error(`LoRA adapter ${JSON.stringify(name)}: ${(error as Error).message}`);
    }
  }
  return sets;
}
