import type { Token } from "node-llama-cpp";
import type { BatchDecoder } from "./batch-decoder.js";

/** Thrown when every sequence is busy and the wait queue is full: the caller answers 429. */
export class PoolBusyError extends Error {
  override name = "PoolBusyError";
}

interface Waiter {
  count: number;
  prompt: readonly Token[];
  adapters: string | undefined;
  resolve(slots: number[]): void;
  reject(error: unknown): void;
}

/**
 * Hands out the context's sequences (slots `0 … capacity - 1`), `count` at a time (one per choice),
 * to requests in arrival order; requests beyond capacity wait in a bounded queue. A released slot
 * keeps its tokens, and is free again once no batch is decoding them. A request gets the free slots
 * that hold the longest start of its prompt (the least recently used among equals), so a prompt
 * that repeats or extends an earlier one decodes only what is new, as llama-server's prompt cache.
 */
export class SequencePool {
  readonly #free: number[];
  readonly #queue: Waiter[] = [];

  constructor(
    private readonly decoder: BatchDecoder,
    readonly capacity: number,
    readonly maxQueue: number,
  ) {
    this.#free = Array.from({ length: capacity }, (_, slot) => slot);
  }

  get active(): number {
    return this.capacity - this.#free.length;
  }

  get queued(): number {
    return this.#queue.length;
  }

  acquire(count: number, prompt: readonly Token[], signal: AbortSignal, adapters?: string): Promise<number[]> {
    if (count > this.capacity) {
      return Promise.reject(
        new RangeError(`${count} choices need ${count} sequences; this server has ${this.capacity}.`),
      );
    }
    if (this.#queue.length === 0 && this.#free.length >= count)
      return Promise.resolve(this.#take(count, prompt, adapters));
    if (this.#queue.length >= this.maxQueue) {
      return Promise.reject(
        new PoolBusyError(`All ${this.capacity} sequences are busy and ${this.#queue.length} requests are waiting.`),
      );
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { count, prompt, adapters, resolve, reject };
      this.#queue.push(waiter);
      signal.addEventListener(
        "abort",
        () => {
          const at = this.#queue.indexOf(waiter);
          if (at >= 0) this.#queue.splice(at, 1);
          reject(signal.reason);
          this.#drain();
        },
        { once: true },
      );
    });
  }

  /** Ends `slots`' work and, once no batch is decoding for them, hands them to waiting requests. */
  release(slots: readonly number[]): Promise<void> {
    return Promise.allSettled(slots.map((slot) => this.decoder.release(slot))).then(() => {
      this.#free.push(...slots);
      this.#drain();
    });
  }

  /** Fails every waiting request; used on shutdown. */
  rejectWaiting(error: Error): void {
    for (const waiter of this.#queue.splice(0)) waiter.reject(error);
  }

  /** Takes the `count` free slots holding most of `prompt`; `#free` is in release order, oldest first. */
  #take(count: number, prompt: readonly Token[], adapters: string | undefined): number[] {
    const ranked = this.#free
      .map((slot, age) => ({ slot, age, held: this.decoder.commonPrefix(slot, prompt, adapters) }))
      .sort((a, b) => b.held - a.held || a.age - b.age)
      .slice(0, count)
      .map(({ slot }) => slot);
    for (const slot of ranked) this.#free.splice(this.#free.indexOf(slot), 1);
    return ranked;
  }

  #drain(): void {
    while (this.#queue.length > 0 && this.#free.length >= (this.#queue[0]?.count ?? Number.POSITIVE_INFINITY)) {
      const waiter = this.#queue.shift() as Waiter;
      waiter.resolve(this.#take(waiter.count, waiter.prompt, waiter.adapters));
    }
  }
}
