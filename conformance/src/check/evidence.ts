import { type ChoicePart, partsByChoice, type StreamRead } from "./stream-read.js";
import { NoEvidence } from "./verdict.js";

/**
 * The evidence helpers: each returns what a check judges, or throws NoEvidence saying what was
 * missing. A check that found no problem passes only on evidence; a loop over zero chunks is not one.
 */

const isEventStream = (contentType: string) => /^\s*text\/event-stream\s*(;|$)/i.test(contentType);

/** `the answer was text/html`, for a stream that did not come as server-sent events. */
function answerKind(stream: StreamRead): string {
  if (isEventStream(stream.contentType)) return "";
  return ` (the answer was ${stream.contentType ? stream.contentType : "without a content type"})`;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

/** The stream, if it carried at least `count` events (the sentinel counts). */
export function needEvents(stream: StreamRead, count = 1): StreamRead {
  if (stream.events.length >= count) return stream;
  throw new NoEvidence(
    `at least ${plural(count, "event")} in ${stream.label}`,
    `${stream.label} had ${plural(stream.events.length, "event")}${answerKind(stream)}`,
  );
}

/** The stream, if it carried at least `count` JSON chunks before its sentinel. */
export function needChunks(stream: StreamRead, count = 1): StreamRead {
  if (stream.chunks.length >= count) return stream;
  throw new NoEvidence(
    `at least ${plural(count, "chunk")} in ${stream.label}`,
    `${stream.label} had ${plural(stream.chunks.length, "chunk")}${answerKind(stream)}`,
  );
}

/** The parts of every choice, if at least one chunk carried a choice with an index. */
export function needChoices(stream: StreamRead): Map<number, ChoicePart[]> {
  const parts = partsByChoice(needChunks(stream));
  if (parts.size > 0) return parts;
  throw new NoEvidence(
    `a choice with an integer index in ${stream.label}`,
    `${plural(stream.chunks.length, "chunk")}, none with a choice that has an index`,
  );
}

/** Throws NoEvidence unless `found` is at least one; for checks that judge items of one kind. */
export function needSome(found: number, needed: string, got: string): void {
  if (found < 1) throw new NoEvidence(needed, got);
}
