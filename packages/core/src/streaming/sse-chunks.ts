import { exchangeFailure, StreamError } from "../errors.js";
import { errorFields, parseJson, providerMessage } from "../http/response-errors.js";
import { DEFAULT_MAX_EVENT_SIZE, iterateServerSentEvents, type ServerSentEvent } from "../sse/index.js";

export interface SSEChunkOptions<T> {
  /** The `data:` payload that ends the stream; null where the stream just closes. */
  doneSentinel: string | null;
  /** `POST https://...`, for messages. */
  describe: string;
  /** Checks one parsed chunk (the spec validators) and returns it as T. */
  parseChunk: (json: unknown, chunkNumber: number) => T;
  signal: AbortSignal;
  maxEventSize?: number | undefined;
  /** Called once the stream is over, however it ended: the exchange lets go of the caller's signal. */
  onEnd?: (() => void) | undefined;
  /** Takes the API key out of event data quoted in errors. */
  redact?: ((text: string) => string) | undefined;
  status?: number | undefined;
  headers?: Headers | undefined;
  requestId?: string | undefined;
}

/** Event data an error quotes: the key taken out, and parsed when it is JSON. */
function quoted(raw: string, redact: (text: string) => string): { data: string; body: unknown } {
  const data = redact(raw);
  const parsed = parseJson(data);
  return { data, body: parsed.ok ? parsed.value : data };
}

const chunkCount = (n: number): string => `${n} ${n === 1 ? "chunk" : "chunks"}`;
const snippet = (text: string): string => (text.length > 200 ? `${text.slice(0, 200)}…` : text);

/**
 * Chat-completion chunks from a server-sent-events body: stops at the done sentinel, and turns an
 * error event, a chunk that is not JSON or an early end into a StreamError — never a silent stop.
 */
export async function* chunksFromSSE<T>(
  body: ReadableStream<Uint8Array>,
  options: SSEChunkOptions<T>,
): AsyncGenerator<T, void, undefined> {
  const { describe, doneSentinel } = options;
  const redact = options.redact ?? ((text: string) => text);
  const context = { status: options.status, headers: options.headers, requestId: options.requestId };
  let chunks = 0;
  // The server's own error, as a StreamError quoting its words (or, lacking them, `unsaid(data)`).
  const errorSent = (event: ServerSentEvent, what: string, unsaid: (data: string) => string): StreamError => {
    const { data, body } = quoted(event.data, redact);
    return new StreamError(
      `${describe}: the server sent ${what} after ${chunkCount(chunks)}: ${providerMessage(body) ?? unsaid(data)}`,
      "error-event",
      { ...context, ...errorFields(body), body, rawBody: data, event: { ...event, data } },
    );
  };
  const events = iterateServerSentEvents(body, { maxEventSize: options.maxEventSize ?? DEFAULT_MAX_EVENT_SIZE });
  try {
    for await (const event of events) {
      if (doneSentinel !== null && event.data === doneSentinel) return;
      if (event.event === "error") throw errorSent(event, "an error event", (data) => data);
      // Comment-only keep-alives and empty `data:` lines carry nothing.
      if (event.data === "") continue;
      const parsed = parseJson(event.data);
      if (!parsed.ok) {
        const data = redact(event.data);
        throw new StreamError(
          `${describe}: chunk ${chunks + 1} is not valid JSON (${redact(parsed.reason)}): "${snippet(data)}". The stream is corrupt; retry the request.`,
          "invalid-json",
          { ...context, rawBody: data, event: { ...event, data } },
        );
      }
      const value = parsed.value;
      if (typeof value === "object" && value !== null && "error" in value)
        throw errorSent(event, "an error in the stream", snippet);
      chunks += 1;
      yield options.parseChunk(value, chunks);
    }
  } catch (error) {
    throw exchangeFailure(
      options.signal,
      error,
      describe,
      (reason) =>
        `${describe}: the connection broke after ${chunkCount(chunks)} (${reason}), so the answer is incomplete. Retry the request.`,
      context,
    );
  } finally {
    await events.return();
    options.onEnd?.();
  }
  if (doneSentinel !== null) {
    throw new StreamError(
      `${describe}: the stream ended after ${chunkCount(chunks)} without ${doneSentinel}, so the answer may be cut short. Retry the request.`,
      "truncated",
      context,
    );
  }
}
