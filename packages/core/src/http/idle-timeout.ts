import { APITimeoutError } from "../errors.js";

/**
 * Passes a byte stream through, but errors it with APITimeoutError (and cancels the source, which
 * frees the connection) when no bytes arrive for `idleMs`: a stalled stream ends, it never hangs.
 */
export function withIdleTimeout(
  source: ReadableStream<Uint8Array>,
  idleMs: number,
  describe: string,
): ReadableStream<Uint8Array> {
  if (!Number.isFinite(idleMs) || idleMs <= 0) return source;
  const reader = source.getReader();
  let stalled: APITimeoutError | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      // Cancelling the reader ends the pending read with `done`, so one timer per read is all the
      // stall detection costs: no race against a second promise.
      const timer = setTimeout(() => {
        stalled = new APITimeoutError(
          `${describe}: no data for ${idleMs} ms, so the stream was closed. Raise idleTimeout if the model is slow to start or between tokens.`,
        );
        reader.cancel(stalled).catch(() => {});
      }, idleMs);
      try {
        const next = await reader.read();
        if (stalled) controller.error(stalled);
        else if (next.done) controller.close();
        else controller.enqueue(next.value);
      } finally {
        clearTimeout(timer);
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
