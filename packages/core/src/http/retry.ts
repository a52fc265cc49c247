export const DEFAULT_MAX_RETRIES = 2;
const INITIAL_RETRY_DELAY_MS = 500;
const MAX_RETRY_DELAY_MS = 8_000;
/** A server may ask for a longer wait than our backoff cap, but not for longer than this. */
const MAX_RETRY_AFTER_MS = 60_000;

/** Statuses worth another try: timeouts, lock conflicts, rate limits and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** A server's explicit `x-should-retry` verdict, when it gives one. */
export function serverRetryVerdict(headers: Headers): boolean | undefined {
  const verdict = headers.get("x-should-retry");
  if (verdict === "true") return true;
  if (verdict === "false") return false;
  return undefined;
}

/**
 * How long the server asked us to wait, from `retry-after-ms` (milliseconds) or `retry-after`
 * (seconds, or an HTTP date); undefined when absent, unreadable, negative or beyond 60 s.
 */
export function retryAfterMs(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const candidates: number[] = [];
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "") candidates.push(Number(ms));
  const after = headers.get("retry-after");
  if (after !== null && after.trim() !== "") {
    const seconds = Number(after);
    candidates.push(Number.isNaN(seconds) ? Date.parse(after) - now : seconds * 1000);
  }
  return candidates.find((value) => Number.isFinite(value) && value >= 0 && value <= MAX_RETRY_AFTER_MS);
}

/**
 * Delay before retry number `retriesSoFar + 1`: the server's `retry-after` when it gave a usable
 * one, else exponential backoff (0.5 s doubling, capped at 8 s) with up to 25 % jitter so that many
 * clients rejected together do not come back together.
 */
export function retryDelayMs(retriesSoFar: number, headers?: Headers, random: () => number = Math.random): number {
  const asked = retryAfterMs(headers);
  if (asked !== undefined) return asked;
  const backoff = Math.min(INITIAL_RETRY_DELAY_MS * 2 ** retriesSoFar, MAX_RETRY_DELAY_MS);
  return backoff * (1 - random() * 0.25);
}
