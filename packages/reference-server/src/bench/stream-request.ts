/** One streamed chat completion, timed from the client's side the same way for every server. */
import { iterateServerSentEvents } from "@chatwire/core";

export interface Timing {
  /** From `usage.completion_tokens` of the stream's usage chunk. */
  completionTokens: number;
  /** Request sent to the last byte of the body. */
  seconds: number;
  /** Request sent to the first chunk carrying content text; NaN when none came. */
  ttftMs: number;
  tokensPerSecond: number;
}

/** The server answered something other than a 200 stream with usage. */
export class RefusedError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${status}: ${body.slice(0, 300)}`);
  }
}

interface Chunk {
  choices?: { delta?: { content?: string | null } }[];
  usage?: { completion_tokens?: number } | null;
  error?: unknown;
}

/** POSTs `body` with `stream: true` and usage asked for, reads the whole stream, and times it. */
export async function timeStreamedCompletion(url: string, body: Record<string, unknown>): Promise<Timing> {
  const started = performance.now();
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...body, stream: true, stream_options: { include_usage: true } }),
  });
  if (response.status !== 200 || !response.body) throw new RefusedError(response.status, await response.text());
  let ttftMs = Number.NaN;
  let completionTokens: number | undefined;
  // Read to the end of the body, not just to [DONE]: "last byte" is when the server closes the response.
  for await (const event of iterateServerSentEvents(response.body)) {
    if (event.data === "[DONE]") continue;
    const chunk = JSON.parse(event.data) as Chunk;
    if (chunk.error) throw new RefusedError(200, event.data);
    if (Number.isNaN(ttftMs) && chunk.choices?.some((choice) => (choice.delta?.content ?? "") !== "")) {
      ttftMs = performance.now() - started;
    }
    if (typeof chunk.usage?.completion_tokens === "number") completionTokens = chunk.usage.completion_tokens;
  }
  const seconds = (performance.now() - started) / 1000;
  if (completionTokens === undefined) throw new RefusedError(200, "the stream carried no usage chunk");
  return { completionTokens, seconds, ttftMs, tokensPerSecond: completionTokens / seconds };
}

/** `streams` copies of one request at once: aggregate completion tokens per second of wall time. */
export async function timeConcurrent(
  url: string,
  body: Record<string, unknown>,
  streams: number,
): Promise<{ tokensPerSecond: number; completionTokens: number; seconds: number }> {
  const started = performance.now();
  const timings = await Promise.all(Array.from({ length: streams }, () => timeStreamedCompletion(url, body)));
  const seconds = (performance.now() - started) / 1000;
  const completionTokens = timings.reduce((sum, timing) => sum + timing.completionTokens, 0);
  return { tokensPerSecond: completionTokens / seconds, completionTokens, seconds };
}
