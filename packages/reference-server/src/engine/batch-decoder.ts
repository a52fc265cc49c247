import type { Token } from "node-llama-cpp";
import { type NativeContext, type NativeSampler, probabilityMap } from "./native.js";

/** A sampled token, with the sampler's probabilities (best first) when they were asked for. */
export interface SampledToken {
  token: Token;
  probabilities: Map<Token, number> | undefined;
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
  resolve(result: SampledToken): void;
  reject(error: unknown): void;
}

interface BatchEntry {
  step: Step;
  count: number;
  /** Index of the step's last token in the batch's logits, once the step's tokens are all in. */
  logitIndex: number | undefined;
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
  readonly #clears = new Map<number, { resolve(): void; reject(error: unknown): void }[]>();
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
    probabilities: boolean,
  ): Promise<SampledToken> {
    if (this.#closed) return Promise.reject(this.#closed);
    if (tokens.length === 0) return Promise.reject(new RangeError("A decode step needs at least one token."));
    return new Promise((resolve, reject) => {
      const step = {
        slot,
        position,
        tokens: Uint32Array.from(tokens),
        decoded: 0,
        sampler,
        probabilities,
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
   * Forgets `slot`'s tokens so the slot can serve another request: its queued steps are dropped
   * (rejected with SlotClearedError), and the tokens go once no batch is decoding them.
   */
  clear(slot: number): Promise<void> {
    for (let i = this.#queue.length - 1; i >= 0; i--) {
      const step = this.#queue[i] as Step;
      if (step.slot !== slot) continue;
      this.#queue.splice(i, 1);
      step.reject(new SlotClearedError(`Slot ${slot} was cleared before its tokens were decoded.`));
    }
    return new Promise((resolve, reject) => {
      if (!this.#slotsInFlight.has(slot)) return this.#forget(slot, [{ resolve, reject }]);
      const waiting = this.#clears.get(slot) ?? [];
      waiting.push({ resolve, reject });
      this.#clears.set(slot, waiting);
    });
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

  /** Fills a batch: streams' single tokens first, then prompts, in arrival order, up to the batch size. */
  #take(): BatchEntry[] {
    const entries: BatchEntry[] = [];
    let space = this.batchSize;
    for (const singles of [true, false]) {
      for (const step of this.#queue) {
        if (space === 0) break;
        const left = step.tokens.length - step.decoded;
        if ((left === 1) !== singles) continue;
        const count = Math.min(left, space);
        entries.push({ step, count, logitIndex: undefined });
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
      this.native.initBatch(entries.reduce((sum, entry) => sum + entry.count, 0));
      for (const entry of entries) {
        const { step, count } = entry;
        const last = step.decoded + count === step.tokens.length;
        const indexes = this.native.addToBatch(
          step.slot,
          step.position + step.decoded,
          step.tokens.subarray(step.decoded, step.decoded + count),
          last ? Uint32Array.of(count - 1) : new Uint32Array(0),
        );
        step.decoded += count;
        if (last) {
          entry.logitIndex = indexes[0];
          finished.push(entry);
        }
      }
      await this.native.decodeBatch();
    } catch (error) {
      // The batch is lost for every step in it; a prompt cut across batches cannot go on either.
      for (const { step } of entries) {
        const at = this.#queue.indexOf(step);
        if (at >= 0) this.#queue.splice(at, 1);
      }
      this.#endBatch();
      for (const { step } of entries) step.reject(error);
      return;
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

  #endBatch(): void {
    this.#busy = false;
    this.#slotsInFlight.clear();
    this.#returning.clear();
    this.#runClears();
  }

  async #sample({ step, logitIndex }: BatchEntry): Promise<SampledToken> {
    const index = logitIndex as number;
    let token: number;
    let probabilities: Map<Token, number> | undefined;
    if (step.probabilities) {
      const [sampled, flat] = await this.native.sampleToken(index, step.sampler, true);
      token = sampled;
      probabilities = probabilityMap(flat);
    } else {
      token = await this.native.sampleToken(index, step.sampler);
    }
    if (token === -1) throw new Error("The sampler found no token it may pick next.");
    return { token: token as Token, probabilities };
  }

  #runClears(): void {
    for (const [slot, waiting] of this.#clears) this.#forget(slot, waiting);
    this.#clears.clear();
  }

  #forget(slot: number, waiting: readonly { resolve(): void; reject(error: unknown): void }[]): void {
    try {
      this.native.disposeSequence(slot);
    } catch (error) {
      // A context already disposed (shutdown) refuses, and the slot's tokens are gone with it.
      if (!this.#closed) {
        for (const { reject } of waiting) reject(error);
        return;
      }
    }
    for (const { resolve } of waiting) resolve();
  }
}
