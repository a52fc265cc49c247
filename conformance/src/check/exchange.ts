import { iterateServerSentEvents, type ServerSentEvent } from "@chatwire/core";

/** One HTTP request the checks make, described well enough to repeat it by hand. */
export interface ExchangeRequest {
  method: "GET" | "POST";
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  /** Read a successful answer as server-sent events rather than as a whole body. */
  stream: boolean;
  /** Which probe this is, e.g. "the plain stream", for messages. */
  label?: string;
}

/** The request never got a whole answer: refused, reset, timed out. */
interface FailedExchange {
  kind: "failed";
  error: string;
}

/** An answer, read to its end: events for a successful stream, the body text otherwise. */
export interface AnsweredExchange {
  kind: "answered";
  status: number;
  contentType: string;
  /** The events of a successful stream, in order, exactly as the SSE parser dispatched them. */
  events?: ServerSentEvent[];
  /** The body of anything that is not a successful stream. */
  text?: string;
}

export type Exchange = FailedExchange | AnsweredExchange;

export interface ExchangeOptions {
  fetch: typeof fetch;
  timeoutMs: number;
  /** How the time limit reads in a message; by default "within 30 s". */
  timeLimit?: string;
}

/**
 * Performs one request and reads the whole answer under one deadline, so a backend that stops
 * mid-stream is reported as such instead of hanging the run. Never throws: a network failure is a
 * FailedExchange whose text the dependent checks show.
 */
export async function performExchange(request: ExchangeRequest, options: ExchangeOptions): Promise<Exchange> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  const what = `${request.method} ${request.url}${request.label ? ` (${request.label})` : ""}`;
  try {
    const response = await options.fetch(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
      signal: controller.signal,
    });
    const contentType = response.headers.get("content-type") ?? "";
    if (request.stream && response.ok && response.body) {
      const events: ServerSentEvent[] = [];
      for await (const event of iterateServerSentEvents(response.body)) events.push(event);
      return { kind: "answered", status: response.status, contentType, events };
    }
    return { kind: "answered", status: response.status, contentType, text: await response.text() };
  } catch (error) {
    if (controller.signal.aborted) {
      return {
        kind: "failed",
        error: `${what} had no complete answer ${options.timeLimit ?? `within ${seconds(options.timeoutMs)}`}`,
      };
    }
    const cause = (error as Error & { cause?: Error }).cause;
    const reason = cause?.message ? `${(error as Error).message} (${cause.message})` : (error as Error).message;
    return { kind: "failed", error: `${what} failed: ${reason}` };
  } finally {
    clearTimeout(timer);
  }
}

/** A duration for a message: `30 s`, `0.2 s`. */
export function seconds(ms: number): string {
  return `${ms >= 10_000 ? Math.round(ms / 1000) : Math.round(ms / 100) / 10} s`;
}

/** The first characters of a body, for a failure message. */
export function excerpt(text: string, limit = 200): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > limit ? `${flat.slice(0, limit)}…` : flat;
}
