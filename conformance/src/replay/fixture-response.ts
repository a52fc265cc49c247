import { setTimeout as delay } from "node:timers/promises";
import { chunkBytes, type Fixture } from "../fixture.js";

/** Longest wait replay honours between pieces: recorded stalls beyond it only slow the suite down. */
const MAX_REPLAY_DELAY_MS = 1000;

/** The wait replay honours before a piece recorded after `recordedMs`. */
export function cappedDelayMs(recordedMs: number | undefined): number {
  return Math.min(recordedMs ?? 0, MAX_REPLAY_DELAY_MS);
}
const RESET_GRACE_MS = 50;

/** The fixture's response as a live one: its pieces enqueued one by one, at the recorded pace. */
export function fixtureResponse(fixture: Fixture, signal?: AbortSignal): Response {
  const { status, headers, body_chunks, delays_ms, ends } = fixture.response;
  const pieces = body_chunks.map(chunkBytes);
  let next = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      // As a real fetch does, an aborted request errors its body.
      if (signal?.aborted) return controller.error(signal.reason);
      if (next === pieces.length) {
        if (ends === "reset") {
          // Erroring a stream discards what is still queued downstream, so the reader gets time to
          // take the last piece before the connection drops.
          await sleep(RESET_GRACE_MS, signal);
          controller.error(new TypeError("terminated: the connection was reset (fixture)"));
        } else {
          controller.close();
        }
        return;
      }
      const delay = cappedDelayMs(delays_ms?.[next]);
      if (delay > 0) await sleep(delay, signal);
      controller.enqueue(pieces[next] as Uint8Array);
      next += 1;
    },
  });
  // A null-body status (204, 304) must not be given a stream.
  return new Response([204, 205, 304].includes(status) ? null : body, { status, headers });
}

/** Waits `ms`, or less when the request is aborted: a client that left needs no more pieces. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return delay(ms, undefined, signal ? { signal } : {}).catch(() => undefined);
}
