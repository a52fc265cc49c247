import { type APIErrorContext, StreamError } from "../errors.js";

export interface StreamTimeouts {
  /** Milliseconds the body may go without a byte; comments and keep-alives count as bytes. */
  idleMs: number;
  /** Milliseconds the whole body may take; off when not a positive number. */
  streamMs: number | undefined;
  /** `POST https://...`, for messages. */
  describe: string;
  context: APIErrorContext;
}

const isOn = (ms: number | undefined): ms is number => ms !== undefined && Number.isFinite(ms) && ms > 0;

/**
 * Passes a byte stream through, but errors it with a StreamError (and cancels the source, which
 * frees the connection) when no bytes arrive for `idleMs` (kind `idle-timeout`) or the whole body
 * runs past `streamMs` (kind `stream-timeout`): a stalled stream ends, it never hangs, and with
 * `streamMs` neither does one that only ever sends keep-alive comments.
 */
export function withStreamTimeouts(
  source: ReadableStream<Uint8Array>,
  timeouts: StreamTimeouts,
): ReadableStream<Uint8Array> {
  const { idleMs, streamMs, describe, context } = timeouts;
  if (!isOn(idleMs) && !isOn(streamMs)) return source;
  const reader = source.getReader();
  let failure: StreamError | undefined;
  // Cancelling the reader ends a pending read with `done`, so one timer per read is all the stall
  // detection costs: no race against a second promise.
  const fail = (error: StreamError) => {
    failure ??= error;
    reader.cancel(failure).catch(() => {});
  };
  let deadline: ReturnType<typeof setTimeout> | undefined;
  return new ReadableStream<Uint8Array>({
    start() {
      if (!isOn(streamMs)) return;
      deadline = setTimeout(
        () =>
          fail(
            new StreamError(
              `${describe}: the stream ran past streamTimeout (${streamMs} ms), so it was closed. Raise streamTimeout, or leave it unset for no limit on a stream's length.`,
              "stream-timeout",
              context,
            ),
          ),
        streamMs,
      );
    },
    async pull(controller) {
      const idle = isOn(idleMs)
        ? setTimeout(
            () =>
              fail(
                new StreamError(
                  `${describe}: no data for ${idleMs} ms, so the stream was closed. Raise idleTimeout if the model is slow to start or between tokens.`,
                  "idle-timeout",
                  context,
                ),
              ),
            idleMs,
          )
        : undefined;
      try {
        const next = await reader.read();
        if (failure) controller.error(failure);
        else if (next.done) controller.close();
        else return controller.enqueue(next.value);
        clearTimeout(deadline);
      } catch (error) {
        clearTimeout(deadline);
        throw error;
      } finally {
        clearTimeout(idle);
      }
    },
    cancel(reason) {
      clearTimeout(deadline);
      return reader.cancel(reason);
    },
  });
}
