/**
 * The SSE parser over web streams: an async iterator (typed AsyncGenerator) for `for await`, and a
 * TransformStream for `pipeThrough`. Web-standard APIs only (ReadableStream, TransformStream), so
 * these run on Node, Deno, Bun, browsers and edge runtimes alike.
 */
import { createSSEParser, type ServerSentEvent, type SSEParserOptions } from "./parser.js";

export interface ServerSentEventStreamOptions {
  /** Largest line or event in characters; see {@link SSEParserOptions.maxEventSize}. Default 16 MiB. */
  maxEventSize?: number;
}

function parserOptions(
  onEvent: (event: ServerSentEvent) => void,
  options: ServerSentEventStreamOptions,
): SSEParserOptions {
  // exactOptionalPropertyTypes: pass the limit only when one was given.
  return options.maxEventSize === undefined ? { onEvent } : { onEvent, maxEventSize: options.maxEventSize };
}

const noop = (): void => {};
const finished = (): IteratorResult<ServerSentEvent, void> => ({ done: true, value: undefined });

/**
 * Async iteration over the events of a byte stream; releases/cancels the reader when the consumer
 * stops early (return()) or on error.
 *
 * The body is locked from the first `next()` until the iteration ends. When the consumer stops
 * early (`break`, `return`, a throw in the loop body, or `return()` called directly) or parsing
 * fails (EventTooLargeError), the body is cancelled, which for a fetch response closes the
 * connection instead of leaving it to download in the background. An error from the body itself
 * propagates unchanged.
 *
 * Written as an iterator object rather than an `async function*` on purpose: a generator queues
 * `return()` behind a pending `next()`, so stopping while the server is silent would wait for the
 * server's next byte, possibly forever. Here `return()` cancels the body at once, which also ends
 * the pending `next()` with `done: true`.
 */
export function iterateServerSentEvents(
  body: ReadableStream<Uint8Array>,
  options: ServerSentEventStreamOptions = {},
): AsyncGenerator<ServerSentEvent, void, undefined> {
  // Events parsed from the current chunk: the parser reports them through a callback, and next()
  // hands them out one by one. `head` instead of shift(), which is O(n) per call on a big batch.
  const queue: ServerSentEvent[] = [];
  let head = 0;
  let parser: ReturnType<typeof createSSEParser> | undefined;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let ended = false;
  let released: Promise<void> | undefined;
  // next() calls run one after another, as an async generator's do.
  let turn: Promise<unknown> = Promise.resolve();
  // next() calls not yet settled; while there are none, an event already parsed is handed out at
  // once, without queueing behind `turn` (most events of a chunk take this path).
  let unsettled = 0;
  const settled = () => {
    unsettled -= 1;
  };

  /** Ends the iteration once: releases the body, cancelling it unless it was read to its end. */
  function stop(cancel: boolean): Promise<void> {
    ended = true;
    queue.length = 0;
    head = 0;
    if (released !== undefined) return released;
    const current = reader;
    if (current === undefined) {
      // Never started: the body was not touched, so it is left to its owner.
      released = Promise.resolve();
    } else if (!cancel) {
      current.releaseLock();
      released = Promise.resolve();
    } else {
      // Cancel first (this also ends a pending read with done: true), then release the lock, then
      // wait for the source to acknowledge. A source that already failed rejects the cancel with its
      // own error, which must not replace the error being reported.
      const cancelled = current.cancel();
      current.releaseLock();
      released = cancelled.then(noop, noop);
    }
    return released;
  }

  /** The next parsed event; the caller has checked that there is one. */
  function take(): ServerSentEvent {
    const value = queue[head] as ServerSentEvent;
    head += 1;
    if (head === queue.length) {
      queue.length = 0;
      head = 0;
    }
    return value;
  }

  async function pull(): Promise<IteratorResult<ServerSentEvent, void>> {
    try {
      for (;;) {
        if (head < queue.length) return { done: false, value: take() };
        if (ended) return finished();
        if (reader === undefined) {
          parser = createSSEParser(parserOptions((event) => queue.push(event), options));
          reader = body.getReader();
        }
        const { done, value } = await reader.read();
        // return() was called while the read was pending.
        if (ended) return finished();
        if (done) {
          // end() never dispatches (an unterminated final event is discarded): nothing is left.
          parser?.end();
          await stop(false);
          return finished();
        }
        parser?.feed(value);
      }
    } catch (error) {
      await stop(true);
      throw error;
    }
  }

  const iterator: AsyncGenerator<ServerSentEvent, void, undefined> = {
    next() {
      if (unsettled === 0 && head < queue.length) return Promise.resolve({ done: false, value: take() });
      unsettled += 1;
      const result = turn.then(pull);
      turn = result.then(settled, settled);
      return result;
    },
    async return() {
      await stop(true);
      return finished();
    },
    async throw(error: unknown) {
      await stop(true);
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

/**
 * The same as a TransformStream, for pipeThrough.
 *
 * ```ts
 * for await (const event of response.body.pipeThrough(new ServerSentEventStream())) { ... }
 * ```
 *
 * A parse error (EventTooLargeError) errors the readable side, and a pipe then cancels the source.
 */
export class ServerSentEventStream extends TransformStream<Uint8Array, ServerSentEvent> {
  constructor(options: ServerSentEventStreamOptions = {}) {
    // The parser needs the controller to enqueue into, which only exists once start() runs.
    let parser: ReturnType<typeof createSSEParser> | undefined;
    super({
      start(controller) {
        parser = createSSEParser(parserOptions((event) => controller.enqueue(event), options));
      },
      transform(chunk) {
        parser?.feed(chunk);
      },
      flush() {
        parser?.end();
      },
    });
  }
}
