import type { BatchDecoder } from "./batch-decoder.js";

/** Thrown when every sequence is busy and the wait queue is full: the caller answers 429. */
export class PoolBusyError extends Error {
  override name = "PoolBusyError";
}

interface Waiter {
  count: number;
  resolve(slots: number[]): void;
  reject(error: unknown): void;
}

/**
 * Hands out the context's sequences (slots `0 … capacity - 1`), `count` at a time (one per choice),
 * to requests in arrival order; requests beyond capacity wait in a bounded queue. A released slot is
 * free again once the decoder has cleared its tokens, which waits for a batch still decoding them.
 */
export class SequencePool {
  readonly #free: number[];
  readonly #queue: Waiter[] = [];

  constructor(
    private readonly decoder: BatchDecoder,
    readonly capacity: number,
    readonly maxQueue: number,
  ) {
    this.#free = Array.from({ length: capacity }, (_, slot) => capacity - 1 - slot);
  }

  get active(): number {
    return this.capacity - this.#free.length;
  }

  get queued(): number {
    return this.#queue.length;
  }

  acquire(count: number, signal: AbortSignal): Promise<number[]> {
    if (count > this.capacity) {
      return Promise.reject(
        new RangeError(`${count} choices need ${count} sequences; this server has ${this.capacity}.`),
      );
    }
    if (this.#queue.length === 0 && this.#free.length >= count) return Promise.resolve(this.#take(count));
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

  /** Clears `slots` and, once their tokens are gone, hands them to waiting requests. */
  release(slots: readonly number[]): Promise<void> {
    return Promise.allSettled(slots.map((slot) => this.decoder.clear(slot))).then(() => {
      this.#free.push(...slots);
      this.#drain();
    });
  }

  /** Fails every waiting request; used on shutdown. */
  rejectWaiting(error: Error): void {
    for (const waiter of this.#queue.splice(0)) waiter.reject(error);
  }

  #take(count: number): number[] {
    return this.#free.splice(this.#free.length - count, count);
  }

  #drain(): void {
    while (this.#queue.length > 0 && this.#free.length >= (this.#queue[0]?.count ?? Number.POSITIVE_INFINITY)) {
      const waiter = this.#queue.shift() as Waiter;
      waiter.resolve(this.#take(waiter.count));
    }
  }
}
