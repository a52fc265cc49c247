/** One server-sent event carrying `data` as JSON (or as it is, for a string). */
export const dataEvent = (data: unknown): string =>
  `data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`;

export interface SSEResponseOptions {
  status?: number;
  headers?: Record<string, string>;
  /** Appends `data: [DONE]`; default true. */
  done?: boolean;
  /** Cuts the byte stream into pieces of this size, to exercise chunk boundaries; default: one piece per event. */
  pieceSize?: number;
}

/** A streamed chat response: each chunk as a `data:` event, then `[DONE]`. */
export function sseResponse(chunks: readonly unknown[], options: SSEResponseOptions = {}): Response {
  const events = chunks.map(dataEvent);
  if (options.done !== false) events.push("data: [DONE]\n\n");
  return eventStreamResponse(events, options);
}

/** A `text/event-stream` response whose body is `pieces` exactly as given, one enqueue each. */
export function eventStreamResponse(pieces: readonly string[], options: SSEResponseOptions = {}): Response {
  const encoder = new TextEncoder();
  let bytes = pieces.map((piece) => encoder.encode(piece));
  if (options.pieceSize) {
    const whole = encoder.encode(pieces.join(""));
    bytes = [];
    for (let at = 0; at < whole.length; at += options.pieceSize) bytes.push(whole.subarray(at, at + options.pieceSize));
  }
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of bytes) controller.enqueue(piece);
      controller.close();
    },
  });
  return new Response(body, {
    status: options.status ?? 200,
    headers: { "content-type": "text/event-stream", ...options.headers },
  });
}

/** A stream that sends `first` and then stays open until the request is aborted. */
export function stallingEventStream(first: readonly string[], request: Request): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of first) controller.enqueue(encoder.encode(piece));
      request.signal.addEventListener("abort", () => controller.error(request.signal.reason), { once: true });
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
}
