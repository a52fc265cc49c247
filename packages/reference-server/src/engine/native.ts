import type { LlamaContext, LlamaModel } from "node-llama-cpp";

/**
 * The part of node-llama-cpp's native binding the decoder drives (node-llama-cpp is pinned to an
 * exact version, so these stay as they are). Its public `sequence.evaluate` wraps every token in
 * locks, promise chains and a sampler reconfiguration; measured on the generated model that cost
 * about as much as the decode itself, so the server calls the binding directly.
 */
export interface NativeContext {
  initBatch(size: number): void;
  /** Returns, for each of `logitIndexes` (indexes into `tokens`), its index in the batch's logits. */
  addToBatch(sequenceId: number, firstPosition: number, tokens: Uint32Array, logitIndexes: Uint32Array): Uint32Array;
  decodeBatch(): Promise<void>;
  sampleToken(batchLogitIndex: number, sampler: NativeSampler): Promise<number>;
  sampleToken(
    batchLogitIndex: number,
    sampler: NativeSampler,
    probabilities: true,
  ): Promise<[token: number, probabilities: number[] | undefined]>;
  disposeSequence(sequenceId: number): void;
  /** Applies these LoRA adapters, at these scales, to every batch from now on (none: the base model). */
  setLoras(adapters: readonly object[], scales: readonly number[]): void;
  /** Removes the sequence's cells at positions `start` up to `end` (-1: to the end); false if it cannot. */
  removeTokenCellsFromSequence(sequenceId: number, start: number, end: number): boolean;
}

/** A native sampler chain: configured once per choice; sampling a token also accepts it (grammar, penalties). */
export interface NativeSampler {
  applyConfig(config: NativeSamplerConfig): void;
  dispose(): void;
}

export interface NativeSamplerConfig {
  temperature: number;
  minP: number;
  topK: number;
  topP: number;
  seed: number;
  repeatPenalty?: number;
  repeatPenaltyMaxTokens?: number;
  repeatPenaltyTokens?: Uint32Array;
  repeatPenaltyPresencePenalty?: number;
  repeatPenaltyFrequencyPenalty?: number;
  tokenBiasKeys?: Uint32Array;
  tokenBiasValues?: Float32Array;
  grammarEvaluationState?: unknown;
}

export function nativeContext(context: LlamaContext): NativeContext {
  return (context as unknown as { _ctx: NativeContext })._ctx;
}

export function createNativeSampler(model: LlamaModel): NativeSampler {
  const internals = model as unknown as {
    _llama: { _bindings: { AddonSampler: new (model: unknown) => NativeSampler } };
    _model: unknown;
  };
  return new internals._llama._bindings.AddonSampler(internals._model);
}

/** The native state of a grammar evaluation, as the sampler config takes it. */
export function nativeGrammarState(state: object): unknown {
  return (state as { _state: unknown })._state;
}

/**
 * Loads the LoRA adapter at `path` for `model` and returns its native handle, as `setLoras` takes
 * it. node-llama-cpp's public API applies adapters only when a context is created, one set for all
 * its sequences; the server switches sets between batches (each request names its own), so it
 * needs the handles, which only this internal hands out. It loads each path once per model, and
 * rejects with a generic message when llama.cpp refuses the file (llama.cpp logs the reason).
 */
export function loadNativeLora(model: LlamaModel, path: string): Promise<object> {
  return (model as unknown as { _getOrLoadLora(path: string): Promise<object> })._getOrLoadLora(path);
}

/**
 * Where `token` stands in a distribution the sampler returned (a flat `[token, probability, ...]`
 * list, best first): its probability, and its rank (1: the likeliest; past the end when absent,
 * with probability 0).
 */
export function tokenInDistribution(flat: readonly number[], token: number): { probability: number; rank: number } {
  for (let i = 0; i + 1 < flat.length; i += 2) {
    if (flat[i] === token) return { probability: flat[i + 1] as number, rank: i / 2 + 1 };
  }
  return { probability: 0, rank: Math.floor(flat.length / 2) + 1 };
}
