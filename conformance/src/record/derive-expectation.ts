import {
  type AnyChatCompletionChunk,
  accumulateChunks,
  type DialectId,
  dialects,
  iterateServerSentEvents,
} from "@chatwire/core";
import { type BodyChunk, chunkBytes, type FixtureExpectation } from "../fixture.js";

/** The error class any SDK raises for a status, by the names the OpenAI SDKs and chatwire share. */
export function errorClassForStatus(status: number): string {
  const byStatus: Record<number, string> = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    409: "ConflictError",
    422: "UnprocessableEntityError",
    429: "RateLimitError",
  };
  return byStatus[status] ?? (status >= 500 ? "InternalServerError" : "APIError");
}

/** The message a dialect's error body carries: `error.message`, or Prediction Guard's `error` string. */
export function errorBodyMessage(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const error = (body as { error?: unknown }).error;
  if (typeof error === "string") return error;
  if (typeof error === "object" && error !== null) {
    const message = (error as { message?: unknown }).message;
    if (typeof message === "string") return message;
  }
  return undefined;
}

/** What an SDK must make of a recorded response: derived from the bytes, the way the protocol reads them. */
export async function deriveExpectation(
  dialect: DialectId,
  status: number,
  contentType: string,
  bodyChunks: readonly BodyChunk[],
): Promise<FixtureExpectation> {
  const text = new TextDecoder().decode(Buffer.concat(bodyChunks.map(chunkBytes)));
  if (status >= 400) {
    const message = errorBodyMessage(parseJSON(text)) ?? text.split("\n")[0]?.slice(0, 120) ?? "";
    return { error: { class: errorClassForStatus(status), status, message_includes: message } };
  }
  if (!contentType.includes("text/event-stream")) return { completion: parseJSON(text) as Record<string, unknown> };

  const sentinel = dialects[dialect].stream.done_sentinel;
  const chunks: Record<string, unknown>[] = [];
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of bodyChunks) controller.enqueue(chunkBytes(piece));
      controller.close();
    },
  });
  for await (const event of iterateServerSentEvents(body)) {
    if (event.data === sentinel) return { chunks, completion: accumulated(chunks) };
    if (event.data === "") continue;
    const value = parseJSON(event.data);
    if (typeof value !== "object" || value === null) {
      return { chunks, error: { class: "StreamError", message_includes: "is not valid JSON" } };
    }
    const said = errorBodyMessage(value);
    if (said !== undefined) return { chunks, error: { class: "StreamError", message_includes: said } };
    chunks.push(value as Record<string, unknown>);
  }
  return sentinel === null
    ? { chunks, completion: accumulated(chunks) }
    : { chunks, error: { class: "StreamError", message_includes: `without ${sentinel}` } };
}

function accumulated(chunks: readonly Record<string, unknown>[]): Record<string, unknown> {
  return accumulateChunks(chunks as unknown as AnyChatCompletionChunk[]) as unknown as Record<string, unknown>;
}

function parseJSON(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
