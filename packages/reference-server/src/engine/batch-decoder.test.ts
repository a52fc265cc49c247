import type { Token } from "node-llama-cpp";
import { describe, expect, it } from "vitest";
import { BatchDecoder, SlotClearedError } from "./batch-decoder.js";
import type { NativeContext, NativeSampler } from "./native.js";

interface Added {
  slot: number;
  position: number;
  tokens: number[];
  logits: number[];
}

/**
 * The binding's batch calls, recorded: each batch's additions, decodes that finish when the test
 * says so, and a sampler that answers the last token of its slot plus one.
 */
class RecordingContext implements NativeContext {
  readonly batches: Added[][] = [];
  readonly disposed: number[] = [];
  readonly #pendingDecodes: { resolve(): void; reject(error: Error): void }[] = [];
  #last = new Map<number, number>();

  initBatch(): void {
    this.batches.push([]);
  }

  addToBatch(slot: number, position: number, tokens: Uint32Array, logits: Uint32Array): Uint32Array {
    const batch = this.batches.at(-1) as Added[];
    const before = batch.reduce((sum, added) => sum + added.tokens.length, 0);
    batch.push({ slot, position, tokens: [...tokens], logits: [...logits] });
    for (const index of logits) this.#last.set(before + index, tokens[index] as number);
    return Uint32Array.from(logits, (index) => before + index);
  }

  decodeBatch(): Promise<void> {
    return new Promise((resolve, reject) => this.#pendingDecodes.push({ resolve, reject }));
  }

  sampleToken(index: number, _sampler: NativeSampler, probabilities?: true): Promise<never> {
    const token = (this.#last.get(index) ?? -2) + 1;
    return Promise.resolve((probabilities ? [token, [token, 1]] : token) as never);
  }

  disposeSequence(slot: number): void {
    this.disposed.push(slot);
  }

  readonly adapterSets: string[][] = [];
  setLoras(adapters: readonly object[]): void {
    this.adapterSets.push(adapters.map((adapter) => (adapter as { name: string }).name));
  }

  readonly trimmed: [slot: number, from: number][] = [];
  removeTokenCellsFromSequence(slot: number, from: number): boolean {
    this.trimmed.push([slot, from]);
    return true;
  }

  get decoding(): number {
    return this.#pendingDecodes.length;
  }

  /** Lets the oldest decode finish (or fail), then lets the decoder run to its next wait. */
  async finishDecode(error?: Error): Promise<void> {
    const decode = this.#pendingDecodes.shift();
    if (!decode) throw new Error("no decode is pending");
    if (error) decode.reject(error);
    else decode.resolve();
    for (let i = 0; i < 10; i++) await Promise.resolve();
  }
}

const sampler: NativeSampler = { applyConfig() {}, dispose() {} };
const tokens = (...ids: number[]) => ids as Token[];
const settle = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe("BatchDecoder", () => {
  it("decodes the steps queued together in one batch and samples each slot's next token", async () => {
    const native = new RecordingContext();
    const decoder = new BatchDecoder(native, 512);
    const a = decoder.step(0, 0, tokens(10, 11), sampler, { probabilities: false });
    const b = decoder.step(1, 0, tokens(20), sampler, { probabilities: true });
    await settle();
    expect(native.batches).toEqual([
      [
        { slot: 1, position: 0, tokens: [20], logits: [0] },
        { slot: 0, position: 0, tokens: [10, 11], logits: [1] },
      ],
    ]);
    await native.finishDecode();
    await expect(a).resolves.toEqual({ token: 12, probabilities: undefined });
    await expect(b).resolves.toEqual({ token: 21, probabilities: [21, 1] });
  });

  it("cuts a prompt longer than the batch over several batches, with the logit on its last token only", async () => {
    const native = new RecordingContext();
    const decoder = new BatchDecoder(native, 4);
    const prompt = decoder.step(2, 0, tokens(1, 2, 3, 4, 5, 6), sampler, { probabilities: false });
    await settle();
    await native.finishDecode();
    await native.finishDecode();
    await expect(prompt).resolves.toMatchObject({ token: 7 });
    expect(native.batches).toEqual([
      [{ slot: 2, position: 0, tokens: [1, 2, 3, 4], logits: [] }],
      [{ slot: 2, position: 4, tokens: [5, 6], logits: [1] }],
    ]);
  });

  it("puts a generating stream's token ahead of a long prompt that arrived first", async () => {
    const native = new RecordingContext();
    const decoder = new BatchDecoder(native, 4);
    void decoder.step(0, 0, tokens(1, 2, 3, 4, 5, 6), sampler, { probabilities: false });
    void decoder.step(1, 9, tokens(50), sampler, { probabilities: false });
    await settle();
    expect(native.batches[0]).toEqual([
      { slot: 1, position: 9, tokens: [50], logits: [0] },
      { slot: 0, position: 0, tokens: [1, 2, 3], logits: [] },
    ]);
  });

  it("queues steps that arrive while a batch decodes for the next batch", async () => {
    const native = new RecordingContext();
    const decoder = new BatchDecoder(native, 512);
    const first = decoder.step(0, 0, tokens(1), sampler, { probabilities: false });
    await settle();
    const second = decoder.step(1, 0, tokens(5), sampler, { probabilities: false });
    await settle();
    expect(native.batches).toHaveLength(1);
    expect(native.decoding).toBe(1);
    await native.finishDecode();
    await expect(first).resolves.toMatchObject({ token: 2 });
    expect(native.batches).toHaveLength(2);
    await native.finishDecode();
    await expect(second).resolves.toMatchObject({ token: 6 });
  });

  it("starts the next batch as soon as the stream whose token came back queues its next step", async () => {
    const native = new RecordingContext();
    const decoder = new BatchDecoder(native, 512);
    let decodingAtOnce = 0;
    const next = decoder.step(0, 0, tokens(1), sampler, { probabilities: false }).then(({ token }) => {
      void decoder.step(0, 1, [token], sampler, { probabilities: false });
      decodingAtOnce = native.decoding;
    });
    await settle();
    await native.finishDecode();
    await next;
    // The batch started inside step(), before any other microtask could run.
    expect(decodingAtOnce).toBe(1);
    expect(native.batches[1]).toEqual([{ slot: 0, position: 1, tokens: [2], logits: [0] }]);
  });

  it("clears a slot only after the batch decoding its tokens, and drops its queued steps", async () => {
    const native = new RecordingContext();
    const decoder = new BatchDecoder(native, 4);
    const inFlight = decoder.step(0, 0, tokens(1, 2, 3, 4, 5), sampler, { probabilities: false });
    inFlight.catch(() => {});
    await settle();
    let cleared = false;
    const clearing = decoder.clear(0).then(() => {
      cleared = true;
    });
    await settle();
    expect(cleared).toBe(false);
    expect(native.disposed).toEqual([]);
    await expect(inFlight).rejects.toBeInstanceOf(SlotClearedError);
    await native.finishDecode();
    await clearing;
    expect(native.disposed).toEqual([0]);
    // The rest of the prompt was never decoded into the cleared slot.
    expect(native.batches).toHaveLength(1);
  });

  it("clears an idle slot at once", async () => {
    const native = new RecordingContext();
    const decoder = new BatchDecoder(native, 4);
    await decoder.clear(3);
    expect(native.disposed).toEqual([3]);
  });

  it("fails every step of a batch that llama.cpp could not decode, and goes on with the next", async () => {
    const native = new RecordingContext();
    const decoder = new BatchDecoder(native, 512);
    const a = decoder.step(0, 0, tokens(1), sampler, { probabilities: false });
    const b = decoder.step(1, 0, tokens(2), sampler, { probabilities: false });
    await settle();
    await native.finishDecode(new Error("could not find a KV slot"));
    await expect(a).rejects.toThrow("could not find a KV slot");
    await expect(b).rejects.toThrow("could not find a KV slot");
    const c = decoder.step(0, 0, tokens(3), sampler, { probabilities: false });
    await settle();
    await native.finishDecode();
    await expect(c).resolves.toMatchObject({ token: 4 });
  });

  it("refuses steps after close and fails the queued ones", async () => {
    const native = new RecordingContext();
    const decoder = new BatchDecoder(native, 512);
    const running = decoder.step(0, 0, tokens(1), sampler, { probabilities: false });
    await settle();
    const queued = decoder.step(1, 0, tokens(2), sampler, { probabilities: false });
    const closing = decoder.close(new Error("unloading"));
    await expect(queued).rejects.toThrow("unloading");
    await expect(decoder.step(2, 0, tokens(3), sampler, { probabilities: false })).rejects.toThrow("unloading");
    await native.finishDecode();
    await closing;
    await expect(running).resolves.toMatchObject({ token: 2 });
  });

  describe("prompt reuse", () => {
    async function generateInto(decoder: BatchDecoder, native: RecordingContext, slot: number, prompt: number[]) {
      const first = decoder.step(slot, 0, tokens(...prompt), sampler, { probabilities: false });
      await settle();
      await native.finishDecode();
      const { token } = await first;
      const second = decoder.step(slot, prompt.length, [token], sampler, { probabilities: false });
      await settle();
      await native.finishDecode();
      await second;
      await decoder.release(slot);
    }

    it("keeps a released slot's tokens and reuses the start a new prompt shares with them", async () => {
      const native = new RecordingContext();
      const decoder = new BatchDecoder(native, 512);
      // The slot holds 1 2 3 and the generated 4.
      await generateInto(decoder, native, 0, [1, 2, 3]);
      expect(native.disposed).toEqual([]);
      expect(decoder.commonPrefix(0, tokens(1, 2, 3, 4, 5))).toBe(4);
      expect(decoder.commonPrefix(0, tokens(1, 2, 9))).toBe(2);
      expect(decoder.reuse(0, tokens(1, 2, 9))).toBe(2);
      expect(native.trimmed).toEqual([[0, 2]]);
      expect(decoder.commonPrefix(0, tokens(1, 2, 3, 4, 5))).toBe(2);
    });

    it("leaves the last prompt token to decode when the slot holds the whole prompt", async () => {
      const native = new RecordingContext();
      const decoder = new BatchDecoder(native, 512);
      await generateInto(decoder, native, 1, [1, 2, 3]);
      expect(decoder.reuse(1, tokens(1, 2, 3))).toBe(2);
      expect(native.trimmed).toEqual([[1, 2]]);
    });

    it("forgets the slot when nothing is shared or its cells cannot be cut", async () => {
      const native = new RecordingContext();
      const decoder = new BatchDecoder(native, 512);
      await generateInto(decoder, native, 0, [1, 2, 3]);
      expect(decoder.reuse(0, tokens(7, 8))).toBe(0);
      expect(native.disposed).toEqual([0]);
      await generateInto(decoder, native, 0, [1, 2, 3]);
      native.removeTokenCellsFromSequence = () => false;
      expect(decoder.reuse(0, tokens(1, 2, 9))).toBe(0);
      expect(native.disposed).toEqual([0, 0]);
      expect(decoder.commonPrefix(0, tokens(1, 2, 9))).toBe(0);
    });

    it("forgets what a failed batch's slots hold", async () => {
      const native = new RecordingContext();
      const decoder = new BatchDecoder(native, 512);
      await generateInto(decoder, native, 0, [1, 2, 3]);
      const failing = decoder.step(0, 4, tokens(5), sampler, { probabilities: false });
      await settle();
      await native.finishDecode(new Error("Eval has failed"));
      await expect(failing).rejects.toThrow("Eval has failed");
      expect(native.disposed).toEqual([0]);
      expect(decoder.commonPrefix(0, tokens(1, 2, 3, 4, 5))).toBe(0);
    });
  });

  it("decodes steps of different adapter sets in batches of their own, switching the context's adapters between them", async () => {
    const native = new RecordingContext();
    const decoder = new BatchDecoder(native, 512);
    const french = { key: "french", adapters: [{ name: "french" }], scales: [1] };
    const base = decoder.step(0, 0, tokens(1), sampler, { probabilities: false });
    const adapted = decoder.step(1, 0, tokens(5), sampler, { probabilities: false, adapters: french });
    await settle();
    expect(native.batches).toEqual([[{ slot: 0, position: 0, tokens: [1], logits: [0] }]]);
    expect(native.adapterSets).toEqual([]);
    await native.finishDecode();
    await base;
    expect(native.batches[1]).toEqual([{ slot: 1, position: 0, tokens: [5], logits: [0] }]);
    expect(native.adapterSets).toEqual([["french"]]);
    await native.finishDecode();
    await adapted;
    // A slot's tokens are reused only under the adapters they were decoded with.
    await decoder.release(1);
    expect(decoder.commonPrefix(1, tokens(5, 6), "french")).toBe(1);
    expect(decoder.commonPrefix(1, tokens(5, 6))).toBe(0);
  });

  it("scores every prompt token after the first from the logits before it, across batches", async () => {
    const native = new RecordingContext();
    const decoder = new BatchDecoder(native, 2);
    // The recording sampler ranks the token after each position's own first: the prompt's next
    // token is the likeliest (rank 1) when it is one more than the token before it.
    const scored = decoder.step(0, 0, tokens(1, 2, 9), sampler, { probabilities: false, scorePrompt: sampler });
    await settle();
    await native.finishDecode();
    await native.finishDecode();
    const result = await scored;
    expect(native.batches).toEqual([
      [{ slot: 0, position: 0, tokens: [1, 2], logits: [0, 1] }],
      [{ slot: 0, position: 2, tokens: [9], logits: [0] }],
    ]);
    expect(result.token).toBe(10);
    expect(result.promptScores).toEqual([
      { probability: 1, rank: 1 },
      { probability: 0, rank: 2 },
    ]);
  });
});
