import {
  type AnyChatCompletionChunk,
  accumulateChunks,
  type DialectId,
  dialects,
  iterateServerSentEvents,
} from "@chatwire/core";
import { errorClassForStatus, parseJson, parseJsonOrText, providerMessage } from "@chatwire/core/internal";
import { type BodyChunk, chunkBytes, type FixtureExpectation } from "../fixture.js";
import { isObject, type JsonObject } from "../json.js";

/** What an SDK must make of a recorded response: derived from the bytes, the way the protocol reads them. */
export async function deriveExpectation(
  dialect: DialectId,
  status: number,
  contentType: string,
  bodyChunks: readonly BodyChunk[],
): Promise<FixtureExpectation> {
  const text = new TextDecoder().decode(Buffer.concat(bodyChunks.map(chunkBytes)));
  if (status >= 400) {
    const message = providerMessage(parseJsonOrText(text)) ?? text.split("\n")[0]?.slice(0, 120) ?? "";
    return { error: { class: errorClassForStatus(status).name, status, message_includes: message } };
  }
  if (!contentType.includes("text/event-stream")) return { completion: parseJsonOrText(text) as JsonObject };

  const sentinel = dialects[dialect].stream.done_sentinel;
  const chunks: JsonObject[] = [];
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of bodyChunks) controller.enqueue(chunkBytes(piece));
      controller.close();
    },
  });
  for await (const event of iterateServerSentEvents(body)) {
    if (event.data === sentinel) return { chunks, completion: accumulated(chunks) };
    if (event.data === "") continue;
    const parsed = parseJson(event.data);
    if (!parsed.ok || !isObject(parsed.value)) {
      return { chunks, error: { class: "StreamError", message_includes: "is not valid JSON" } };
    }
    // An error object in place of a chunk, as the SDKs read it (core's sse-chunks).
    if ("error" in parsed.value) {
      return { chunks, error: { class: "StreamError", message_includes: providerMessage(parsed.value) ?? "" } };
    }
    chunks.push(parsed.value);
  }
  return sentinel === null
    ? { chunks, completion: accumulated(chunks) }
    : { chunks, error: { class: "StreamError", message_includes: `without ${sentinel}` } };
}

function accumulated(chunks: readonly JsonObject[]): JsonObject {
  return accumulateChunks(chunks as unknown as AnyChatCompletionChunk[]) as unknown as JsonObject;
}
