import { ChatwireError } from "../errors.js";
import { type AccumulatedCompletion, type AnyChatCompletionChunk, ChunkAccumulator } from "./accumulate.js";

export interface StreamOptions<T> {
  /** How to see an item as a chat-completion chunk; enables `finalCompletion()`. */
  toChunk?: ((item: T) => AnyChatCompletionChunk) | undefined;
}

/** A chat-completion chunk, or the chunk inside a `{ data: chunk }` item. */
function chunkOfItem(item: unknown): AnyChatCompletionChunk {
  if (typeof item === "object" && item !== null && !("choices" in item) && "data" in item) {
    return (item as { data: AnyChatCompletionChunk }).data;
  }
  return item as AnyChatCompletionChunk;
}

interface Settled {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

function settled(): Settled {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A stream nobody asks for its final completion must not report an unhandled rejection.
  promise.catch(() => {});
  return { promise, resolve, reject };
}

/**
 * A streamed response: an async iterable that can be read once. `break` out of the loop (or call
 * `controller.abort()`) and the connection is released.
 */
export class Stream<T> implements AsyncIterable<T> {
  readonly controller: AbortController;
  readonly #source: () => AsyncIterator<T>;
  readonly #options: StreamOptions<T>;
  readonly #accumulator: ChunkAccumulator | undefined;
  readonly #finished = settled();
  /** Why the chunks cannot be added up; iteration goes on regardless, only finalCompletion() fails. */
  #assemblyError: unknown;
  #consumed = false;

  constructor(source: () => AsyncIterator<T>, controller: AbortController, options: StreamOptions<T> = {}) {
    this.#source = source;
    this.controller = controller;
    this.#options = options;
    this.#accumulator = options.toChunk ? new ChunkAccumulator() : undefined;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    if (this.#consumed) {
      throw new ChatwireError(
        "This stream has already been read; a stream can be read once. Use stream.tee() to read it twice.",
      );
    }
    this.#consumed = true;
    return this.#iterate();
  }

  async *#iterate(): AsyncGenerator<T, void, undefined> {
    const iterator = this.#source();
    let finished = false;
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        if (this.#accumulator && this.#options.toChunk && this.#assemblyError === undefined) {
          try {
            this.#accumulator.add(this.#options.toChunk(next.value));
          } catch (error) {
            this.#assemblyError = error;
          }
        }
        yield next.value;
      }
      finished = true;
      this.#finished.resolve();
    } catch (error) {
      this.#finished.reject(error);
      throw error;
    } finally {
      if (!finished) {
        this.#finished.reject(
          new ChatwireError("The stream was not read to the end, so there is no final completion."),
        );
        await iterator.return?.();
        this.controller.abort();
      }
    }
  }

  /**
   * The whole completion the chunks add up to, as the non-streamed call would have returned it.
   * Reads the stream to its end if nobody has; after a `for await` loop, returns what it read.
   * Rejects with a StreamError of kind `unassemblable` when the items do not add up to a completion
   * (chunks without `choices`, say, let through by `validation: "warn"` or `"off"`); iterating the
   * stream never fails for that reason.
   */
  async finalCompletion(): Promise<AccumulatedCompletion> {
    if (!this.#accumulator) {
      throw new ChatwireError(
        "finalCompletion() needs a stream of chat-completion chunks; this stream carries other items.",
      );
    }
    if (!this.#consumed) for await (const _ of this);
    await this.#finished.promise;
    if (this.#assemblyError !== undefined) throw this.#assemblyError;
    return this.#accumulator.result();
  }

  /** Two independent streams over the same items (errors included), each readable once. */
  tee(): [Stream<T>, Stream<T>] {
    type Step = { result: IteratorResult<T> } | { error: unknown };
    const buffers: [Step[], Step[]] = [[], []];
    // Taken now, so the original stream counts as read from here on.
    const upstream = this[Symbol.asyncIterator]();
    const branch = (mine: Step[]) => (): AsyncIterator<T> => ({
      next: async (): Promise<IteratorResult<T>> => {
        if (mine.length === 0) {
          let step: Step;
          try {
            step = { result: await upstream.next() };
          } catch (error) {
            step = { error };
          }
          for (const buffer of buffers) buffer.push(step);
        }
        const step = mine.shift() as Step;
        if ("error" in step) throw step.error;
        return step.result;
      },
    });
    return [
      new Stream(branch(buffers[0]), this.controller, this.#options),
      new Stream(branch(buffers[1]), this.controller, this.#options),
    ];
  }

  /** The items as newline-delimited JSON bytes, e.g. to send from a server route to a browser. */
  toReadableStream(): ReadableStream<Uint8Array> {
    const encoder = new TextEncoder();
    let iterator: AsyncIterator<T> | undefined;
    return new ReadableStream<Uint8Array>({
      start: () => {
        iterator = this[Symbol.asyncIterator]();
      },
      pull: async (controller) => {
        try {
          const next = await (iterator as AsyncIterator<T>).next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(`${JSON.stringify(next.value)}\n`));
        } catch (error) {
          controller.error(error);
        }
      },
      cancel: async () => {
        await iterator?.return?.();
      },
    });
  }

  /**
   * Reads what `toReadableStream()` wrote back into a Stream. `finalCompletion()` works on it as on
   * the original: items are taken as chunks, or as Prediction Guard's `{ data: chunk }`, unless
   * `options.toChunk` says otherwise.
   */
  static fromReadableStream<T = AnyChatCompletionChunk>(
    readable: ReadableStream<Uint8Array>,
    controller: AbortController = new AbortController(),
    options: StreamOptions<T> = {},
  ): Stream<T> {
    async function* items(): AsyncGenerator<T, void, undefined> {
      const reader = readable.getReader();
      const decoder = new TextDecoder();
      let buffered = "";
      let line = 0;
      const parse = (text: string): T => {
        line += 1;
        try {
          return JSON.parse(text) as T;
        } catch (error) {
          throw new ChatwireError(
            `Line ${line} of the newline-delimited JSON stream is not JSON (${(error as Error).message}).`,
          );
        }
      };
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          buffered += decoder.decode(value, { stream: true });
          // Walk the lines with a cursor and cut the remainder once: slicing the buffer after every
          // line would copy it once per line.
          let lineStart = 0;
          let newline = buffered.indexOf("\n");
          while (newline !== -1) {
            const text = buffered.slice(lineStart, newline);
            if (text.trim() !== "") yield parse(text);
            lineStart = newline + 1;
            newline = buffered.indexOf("\n", lineStart);
          }
          buffered = buffered.slice(lineStart);
        }
        buffered += decoder.decode();
        if (buffered.trim() !== "") yield parse(buffered);
      } finally {
        await reader.cancel().catch(() => {});
      }
    }
    return new Stream(() => items(), controller, { ...options, toChunk: options.toChunk ?? chunkOfItem });
  }
}
