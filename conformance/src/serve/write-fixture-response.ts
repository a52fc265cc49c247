import type { ServerResponse } from "node:http";
import { setTimeout as delay } from "node:timers/promises";
import { chunkBytes, type Fixture } from "../fixture.js";
import { cappedDelayMs } from "../replay/fixture-response.js";

/**
 * Headers that frame the body on this connection. The recorded ones (hand-written fixtures may
 * hold them) described another connection; this server frames the recorded bytes itself.
 */
const FRAMING_HEADERS = new Set(["content-length", "transfer-encoding", "connection", "keep-alive"]);

/** Statuses whose answer has no body, whatever the fixture holds. */
const NO_BODY_STATUSES = new Set([204, 205, 304]);

/**
 * The last piece is handed to the kernel before the reset, but a reset drops what the kernel has
 * not sent yet: this gives it time to leave.
 */
const RESET_GRACE_MS = 50;

/** How a fixture's answer ended: as recorded (`closed`, `reset`), or cut short. */
export type AnswerEnd = "closed" | "reset" | "client-left" | "stopped";

/**
 * Writes the fixture's recorded response: its status and headers at once, then each body piece
 * byte for byte as a write of its own after its recorded delay (capped as replay caps it), then
 * the end the fixture records: a normal end, or a TCP reset after the last piece. `stop` (the
 * server closing) and the client leaving cancel the remaining pieces and their timers.
 */
export async function writeFixtureResponse(
  fixture: Fixture,
  response: ServerResponse,
  stop: AbortSignal,
): Promise<AnswerEnd> {
  const { status, headers, body_chunks, delays_ms, ends } = fixture.response;
  const cancel = new AbortController();
  const onStop = () => cancel.abort();
  const onClose = () => {
    if (!response.writableFinished) cancel.abort();
  };
  stop.addEventListener("abort", onStop, { once: true });
  response.once("close", onClose);
  // A half-sent answer cannot be finished, so its connection goes with it.
  const cutShort = (): AnswerEnd => {
    response.destroy();
    return stop.aborted ? "stopped" : "client-left";
  };
  try {
    // Only the recorded headers: a date or other headers of this server's own would not be the fixture's.
    response.sendDate = false;
    response.writeHead(status, servedHeaders(headers));
    // The first recorded delay counts from the headers, so they go out before it.
    response.flushHeaders();
    const pieces = NO_BODY_STATUSES.has(status) ? [] : body_chunks;
    for (const [index, piece] of pieces.entries()) {
      const wait = cappedDelayMs(delays_ms?.[index]);
      if (wait > 0 && !(await sleep(wait, cancel.signal))) return cutShort();
      if (cancel.signal.aborted || !(await written(response, chunkBytes(piece), cancel.signal))) return cutShort();
    }
    if (ends === "reset") {
      if (!(await sleep(RESET_GRACE_MS, cancel.signal))) return cutShort();
      response.socket?.resetAndDestroy();
      return "reset";
    }
    response.end();
    return "closed";
  } finally {
    stop.removeEventListener("abort", onStop);
    response.off("close", onClose);
  }
}

function servedHeaders(recorded: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(recorded).filter(([name]) => !FRAMING_HEADERS.has(name.toLowerCase())));
}

/** Waits `ms`; false when cancelled first. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return delay(ms, true, { signal }).catch(() => false);
}

/** Writes one piece and waits until it is handed to the kernel, so pieces leave one by one; false when cancelled. */
function written(response: ServerResponse, bytes: Uint8Array, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const onAbort = () => resolve(false);
    signal.addEventListener("abort", onAbort, { once: true });
    response.write(bytes, (error) => {
      signal.removeEventListener("abort", onAbort);
      resolve(!error);
    });
  });
}
