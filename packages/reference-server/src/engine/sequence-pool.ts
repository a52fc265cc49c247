import type { LlamaContext, LlamaContextSequence } from "node-llama-cpp";

/** Thrown when every sequence is busy and the wait queue is full: the caller answers 429. */
export class PoolBusyError extends Error {
  override name = "PoolBusyError";
}

interface Waiter {
  count: number;
  resolve(sequences: LlamaContextSequence[]): void;
  reject(error: unknown): void;
}

/**
 * Hands out the context's sequences, `count` at a time (one per choice), to requests in arrival
 * order; requests beyond capacity wait in a bounded queue. A released sequence is disposed, which
 * clears its tokens and frees its slot for the next request at once.
 */
export class SequencePool {
  #free: number;
  readonly #queue: Waiter[] = [];

  constructor(
    private readonly context: LlamaContext,
    readonly capacity: number,
    readonly maxQueue: number,
  ) {
    this.#free = capacity;
  }

  get active(): number {
    return this.capacity - this.#free;
  }

  get queued(): number {
    return this.#queue.length;
  }

  acquire(count: number, signal: AbortSignal): Promise<LlamaContextSequence[]> {
    if (count > this.capacity) {
      return Promise.reject(
        new RangeError(`${count} choices need ${count} sequences; this server has ${this.capacity}.`),
      );
    }
    if (this.#queue.length === 0 && this.#free >= count) return Promise.resolve(this.#take(count));
    if (this.#queue.length >= this.maxQueue) {
      return Promise.reject(
        new PoolBusyError(`All ${this.capacity} sequences are busy and ${this.#queue.length} requests are waiting.`),
      );
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { count, resolve, reject };
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

  release(sequences: readonly LlamaContextSequence[]): void {
    for (const sequence of sequences) {
      if (!sequence.disposed) sequence.dispose();
      this.#free += 1;
    }
    this.#drain();
  }

  /** Fails every waiting request; used on shutdown. */
  rejectWaiting(error: Error): void {
    for (const waiter of this.#queue.splice(0)) waiter.reject(error);
  }

  #take(count: number): LlamaContextSequence[] {
    this.#free -= count;
    return Array.from({ length: count }, () => this.context.getSequence());
  }

  #drain(): void {
    while (this.#queue.length > 0 && this.#free >= (this.#queue[0]?.count ?? Number.POSITIVE_INFINITY)) {
      const waiter = this.#queue.shift() as Waiter;
      waiter.resolve(this.#take(waiter.count));
    }
  }
}
