import type { Token } from "node-llama-cpp";
import { type NativeContext, type NativeSampler, tokenInDistribution } from "./native.js";

/**
 * A sampled token, with the sampler's probabilities when they were asked for: a flat
 * `[token, probability, token, probability, ...]` list, best first, as the binding gives it.
 */
export interface SampledToken {
  token: Token;
  probabilities: readonly number[] | undefined;
  /**
   * With `scorePrompt`: for each of the step's tokens after the first, its probability given the
   * tokens before it and its rank among the vocabulary (1: the likeliest).
   */
  promptScores?: TokenScore[];
}

export interface TokenScore {
  probability: number;
  rank: number;
}

/** LoRA adapters and their scales, applied to the batches that decode a step; `key` names the set. */
export interface AdapterSet {
  key: string;
  adapters: readonly object[];
  scales: readonly number[];
}

/** The base model, without adapters. */
const NO_ADAPTERS: AdapterSet = { key: "", adapters: [], scales: [] };

export interface StepOptions {
  /** Return the sampler's probabilities with the token. */
  probabilities: boolean;
  /** Decode with these adapters; batches only ever hold steps of one set. */
  adapters?: AdapterSet | undefined;
  /**
   * Score every token of the step after the first with this sampler (temperature 1, no cut: its
   * probabilities are the model's own). It must be the step's alone: scoring samples with it.
   */
  scorePrompt?: NativeSampler | undefined;
}

/** A step's work was dropped because its slot was cleared first; nobody waits for its answer. */
export class SlotClearedError extends Error {
  override name = "SlotClearedError";
}

interface Step {
  slot: number;
  /** Context position of `tokens[0]`. */
  position: number;
  tokens: Uint32Array;
  /** How many of `tokens` earlier batches have decoded. */
  decoded: number;
  sampler: NativeSampler;
  probabilities: boolean;
  adapters: AdapterSet;
  scorePrompt: NativeSampler | undefined;
  /** The scores of the tokens decoded so far, with `scorePrompt`. */
  scores: TokenScore[];
  resolve(result: SampledToken): void;
  reject(error: unknown): void;
}

interface Settler {
  action(): void;
  resolve(): void;
  reject(error: unknown): void;
}

interface BatchEntry {
  step: Step;
  count: number;
  /** Index of the step's last token in the batch's logits, once the step's tokens are all in. */
  logitIndex: number | undefined;
  /** With `scorePrompt`: the batch's logit index of each of this entry's tokens. */
  scoredLogits: Uint32Array | undefined;
}

/**
 * Decodes every slot's pending tokens in one llama.cpp batch and samples each slot's next token
 * natively, llama-server's loop: one decode per generated token for all streams together. Steps that
 * arrive while a batch is decoding go into the next one. A prompt longer than the batch is decoded
 * over several batches; single tokens of streams already generating go first, so a long prompt
 * does not hold up their next token.
 */
export class BatchDecoder {
  readonly #queue: Step[] = [];
  /** What to do with a slot once the batch decoding its tokens is over. */
  readonly #afterBatch = new Map<number, Settler[]>();
  /** The tokens in each slot's cells, by position, and the adapters they were decoded with. */
  readonly #held = new Map<number, { adapters: string; tokens: number[] }>();
  /** The adapter set the context applies now. */
  #adapters = NO_ADAPTERS.key;
  /** Whether a batch is decoding or sampling now, and its promise (which never rejects). */
  #busy = false;
  #batch: Promise<void> | undefined;
  readonly #slotsInFlight = new Set<number>();
  /** Slots whose token the last batch just sampled: each is expected to queue its next step at once. */
  readonly #returning = new Set<number>();
  #scheduled = false;
  #closed: Error | undefined;

  constructor(
    private readonly native: NativeContext,
    private readonly batchSize: number,
  ) {}

  /** Decodes `tokens` into `slot` from `position` on and samples the token that follows them. */
  step(
    slot: number,
    position: number,
    tokens: readonly Token[],
    sampler: NativeSampler,
    options: StepOptions,
  ): Promise<SampledToken> {
    if (this.#closed) return Promise.reject(this.#closed);
    if (tokens.length === 0) return Promise.reject(new RangeError("A decode step needs at least one token."));
    return new Promise((resolve, reject) => {
      const step: Step = {
        slot,
        position,
        tokens: Uint32Array.from(tokens),
        decoded: 0,
        sampler,
        probabilities: options.probabilities,
        adapters: options.adapters ?? NO_ADAPTERS,
        scorePrompt: options.scorePrompt,
        scores: [],
        resolve,
        reject,
      };
      this.#queue.push(step);
      // The last stream to come back starts the batch at once, so that its decode runs while the
      // streams work out and send their text; a fresh step waits a microtask for its siblings.
      if (this.#returning.delete(slot) && this.#returning.size === 0) this.#dispatch();
      else this.#schedule();
    });
  }

  /**
   * Ends `slot`'s work: its queued steps are dropped (rejected with SlotClearedError), and the
   * promise settles once no batch is decoding its tokens. The tokens stay, for `reuse`.
   */
  release(slot: number): Promise<void> {
    return this.#whenIdle(slot, () => {});
  }

  /** Ends `slot`'s work like `release`, and forgets its tokens. */
  clear(slot: number): Promise<void> {
    return this.#whenIdle(slot, () => this.#forget(slot));
  }

  /**
   * How many of `prompt`'s first tokens `slot` holds, decoded with `adapters` (never all of them:
   * the last is decoded for its logits).
   */
  commonPrefix(slot: number, prompt: readonly Token[], adapters = NO_ADAPTERS.key): number {
    const entry = this.#held.get(slot);
    if (!entry || entry.adapters !== adapters) return 0;
    const held = entry.tokens;
    const most = Math.min(held.length, prompt.length - 1);
    let length = 0;
    while (length < most && held[length] === prompt[length]) length++;
    return length;
  }

  /**
   * Keeps the part of a released `slot`'s tokens that `prompt` starts with and removes the rest,
   * llama-server's prompt cache: returns how many prompt tokens need no decoding.
   */
  reuse(slot: number, prompt: readonly Token[], adapters = NO_ADAPTERS.key): number {
    const held = this.#held.get(slot)?.tokens;
    if (!held) return 0;
    const kept = this.commonPrefix(slot, prompt, adapters);
    if (kept === held.length) return kept;
    if (kept > 0 && this.native.removeTokenCellsFromSequence(slot, kept, -1)) {
      held.length = kept;
      return kept;
    }
    this.#forget(slot);
    return 0;
  }

  /** Refuses new steps, fails the queued ones and waits for the batch in flight. */
  async close(reason: Error): Promise<void> {
    this.#closed = reason;
    for (const step of this.#queue.splice(0)) step.reject(reason);
    await this.#batch;
  }

  /** Starts a batch a microtask from now, when every stream that was going to queue a step has. */
  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.#returning.clear();
      this.#dispatch();
    });
  }

  #dispatch(): void {
    if (this.#busy || this.#queue.length === 0) return;
    this.#busy = true;
    this.#batch = this.#decode(this.#take());
  }

  /**
   * Fills a batch: streams' single tokens first, then prompts, in arrival order, up to the batch
   * size, all of one adapter set (the oldest step's), since llama.cpp applies adapters per batch.
   */
  #take(): BatchEntry[] {
    const entries: BatchEntry[] = [];
    const adapters = (this.#queue[0] as Step).adapters.key;
    let space = this.batchSize;
    for (const singles of [true, false]) {
      for (const step of this.#queue) {
        if (space === 0) break;
        const left = step.tokens.length - step.decoded;
        if ((left === 1) !== singles || step.adapters.key !== adapters) continue;
        const count = Math.min(left, space);
        entries.push({ step, count, logitIndex: undefined, scoredLogits: undefined });
        space -= count;
      }
    }
    for (const { step, count } of entries) {
      if (step.decoded + count === step.tokens.length) this.#queue.splice(this.#queue.indexOf(step), 1);
      this.#slotsInFlight.add(step.slot);
    }
    return entries;
  }

  async #decode(entries: BatchEntry[]): Promise<void> {
    const finished: BatchEntry[] = [];
    try {
      this.#applyAdapters((entries[0] as BatchEntry).step.adapters);
      this.native.initBatch(entries.reduce((sum, entry) => sum + entry.count, 0));
      for (const entry of entries) {
        const { step, count } = entry;
        const last = step.decoded + count === step.tokens.length;
        const logits = step.scorePrompt
          ? Uint32Array.from({ length: count }, (_, i) => i)
          : last
            ? Uint32Array.of(count - 1)
            : new Uint32Array(0);
        const indexes = this.native.addToBatch(
          step.slot,
          step.position + step.decoded,
          step.tokens.subarray(step.decoded, step.decoded + count),
          logits,
        );
        step.decoded += count;
        if (step.scorePrompt) entry.scoredLogits = indexes;
        if (last) {
          entry.logitIndex = indexes[indexes.length - 1];
          finished.push(entry);
        }
      }
      await this.native.decodeBatch();
      for (const entry of entries) if (entry.scoredLogits) await this.#score(entry);
    } catch (error) {
      // The batch is lost for every step in it, and what its slots' cells hold is unknown; a
      // prompt cut across batches cannot go on either.
      for (const { step } of entries) {
        const at = this.#queue.indexOf(step);
        if (at >= 0) this.#queue.splice(at, 1);
      }
      this.#endBatch(() => {
        for (const { step } of entries) this.#forget(step.slot);
      });
      for (const { step } of entries) step.reject(error);
      return;
    }
    for (const { step, count } of entries) {
      const held = this.#held.get(step.slot) ?? { adapters: step.adapters.key, tokens: [] };
      for (const token of step.tokens.subarray(step.decoded - count, step.decoded)) held.tokens.push(token);
      this.#held.set(step.slot, held);
    }
    // Every finished step samples before the next batch overwrites the logits; the answers go out
    // together so the streams queue their next tokens for the same batch.
    const results = await Promise.allSettled(finished.map((entry) => this.#sample(entry)));
    this.#endBatch();
    results.forEach((result, i) => {
      const { step } = finished[i] as BatchEntry;
      if (result.status === "fulfilled") {
        this.#returning.add(step.slot);
        step.resolve(result.value);
      } else step.reject(result.reason);
    });
    this.#schedule();
  }

  #endBatch(cleanUp?: () => void): void {
    this.#busy = false;
    this.#slotsInFlight.clear();
    this.#returning.clear();
    try {
      cleanUp?.();
    } catch {
      // A slot that cannot be forgotten fails when it is next cleared or released.
    }
    for (const settlers of this.#afterBatch.values()) this.#settle(settlers);
    this.#afterBatch.clear();
  }

  async #sample({ step, logitIndex }: BatchEntry): Promise<SampledToken> {
    const index = logitIndex as number;
    let token: number;
    let probabilities: readonly number[] | undefined;
    if (step.probabilities) {
      [token, probabilities] = await this.native.sampleToken(index, step.sampler, true);
    } else {
      token = await this.native.sampleToken(index, step.sampler);
    }
    if (token === -1) throw new Error("The sampler found no token it may pick next.");
    return { token: token as Token, probabilities, ...(step.scorePrompt && { promptScores: step.scores }) };
  }

  /**
   * Scores each token of the entry whose logits came before it in the step: the logits at one
   * position give the next token's probability. Done before the next batch overwrites them.
   */
  async #score({ step, count, scoredLogits }: BatchEntry): Promise<void> {
    const first = step.decoded - count;
    const indexes = scoredLogits as Uint32Array;
    for (let i = 0; i < count; i++) {
      const next = step.tokens[first + i + 1];
      if (next === undefined) break;
      const [, flat = []] = await this.native.sampleToken(
        indexes[i] as number,
        step.scorePrompt as NativeSampler,
        true,
      );
      step.scores.push(tokenInDistribution(flat, next));
    }
  }

  #applyAdapters(adapters: AdapterSet): void {
    if (adapters.key === this.#adapters) return;
    this.native.setLoras(adapters.adapters, adapters.scales);
    this.#adapters = adapters.key;
  }

  #whenIdle(slot: number, action: () => void): Promise<void> {
    for (let i = this.#queue.length - 1; i >= 0; i--) {
      const step = this.#queue[i] as Step;
      if (step.slot !== slot) continue;
      this.#queue.splice(i, 1);
      step.reject(new SlotClearedError(`Slot ${slot} was released before its tokens were decoded.`));
    }
    return new Promise((resolve, reject) => {
      const settler = { action, resolve, reject };
      if (!this.#slotsInFlight.has(slot)) return this.#settle([settler]);
      const waiting = this.#afterBatch.get(slot) ?? [];
      waiting.push(settler);
      this.#afterBatch.set(slot, waiting);
    });
  }

  #settle(settlers: readonly Settler[]): void {
    for (const { action, resolve, reject } of settlers) {
      try {
        action();
        resolve();
      } catch (error) {
        reject(error);
      }
    }
  }

  #forget(slot: number): void {
    this.#held.delete(slot);
    try {
      this.native.disposeSequence(slot);
    } catch (error) {
      // A context already disposed (shutdown) refuses, and the slot's tokens are gone with it.
      if (!this.#closed) throw error;
    }
  }
}
