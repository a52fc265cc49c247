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
 * clears its tokens; its slot counts as free only once the disposal is done, because
 * node-llama-cpp gives the sequence id back to the context asynchronously (under the context's
 * lock), and asking for a sequence before that fails with "No sequences left".
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
    if (this.#queue.length === 0 && this.#free >= count) {
      try {
        return Promise.resolve(this.#take(count));
      } catch (error) {
        return Promise.reject(error);
      }
    }
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

  /** Disposes `sequences` and, once their ids are back with the context, hands them to waiting requests. */
  release(sequences: readonly LlamaContextSequence[]): Promise<void> {
    return Promise.allSettled(sequences.map((sequence) => (sequence.disposed ? undefined : sequence.dispose()))).then(
      () => {
        this.#free += sequences.length;
        this.#drain();
      },
    );
  }

  /** Fails every waiting request; used on shutdown. */
  rejectWaiting(error: Error): void {
    for (const waiter of this.#queue.splice(0)) waiter.reject(error);
  }

  /** Takes `count` sequences; on a failure, gives back the ones taken and rethrows. */
  #take(count: number): LlamaContextSequence[] {
    const taken: LlamaContextSequence[] = [];
    this.#free -= count;
    try {
      for (let i = 0; i < count; i++) taken.push(this.context.getSequence());
    } catch (error) {
      this.#free += count - taken.length;
      void this.release(taken);
      throw error;
    }
    return taken;
  }

  #drain(): void {
    while (this.#queue.length > 0 && this.#free >= (this.#queue[0]?.count ?? Number.POSITIVE_INFINITY)) {
      const waiter = this.#queue.shift() as Waiter;
      // A waiter is always answered: with its sequences, or with the error that kept them from it.
      try {
        waiter.resolve(this.#take(waiter.count));
      } catch (error) {
        waiter.reject(error);
      }
    }
  }
}
