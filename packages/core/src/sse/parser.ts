/**
 * Server-sent-events parser: bytes in, events out, following the WHATWG "event stream
 * interpretation" rules exactly.
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 *
 * Speed is the point of this file. Chat completions arrive as thousands of tiny `data:` events, and
 * sometimes as one huge line cut into many small chunks, so the hot path:
 * - decodes ASCII chunks in one shot rather than with a streaming TextDecoder (see utf8-decoder.ts);
 * - finds line ends with `indexOf` (native, vectorised) instead of walking characters in JS;
 * - never scans a character twice: the next CR and next LF positions are cached per chunk and only
 *   searched again once the cursor has passed them (a chunk with no CR costs one failed search);
 * - keeps the pieces of an unfinished line in an array and joins them once, when the line ends, so
 *   a line that arrives in N pieces costs O(N) instead of O(N²) from repeated `prefix + chunk`;
 * - recognises `data:` and `event:` by comparing char codes in place, with no regexes, no
 *   `split`, and no allocation beyond the one `slice` for each field value;
 * - dispatches the commonest event shape, `data: ...\n\n`, straight from the chunk.
 */
import { EventTooLargeError } from "../errors.js";
import { Utf8StreamDecoder } from "./utf8-decoder.js";

/** One dispatched event. */
export interface ServerSentEvent {
  /** The event type; "message" when the block had no (or an empty) `event` field (WHATWG). */
  event: string;
  /** The block's `data` lines joined with "\n". */
  data: string;
  /**
   * The last event ID buffer at dispatch: "" until an `id` field sets it. It persists across events
   * (an event without `id` reports the previous one), as WHATWG specifies.
   */
  id: string;
  /**
   * The value of the last valid `retry` field in this block (since the previous blank line), else
   * undefined. `onRetry` reports every valid `retry` as soon as its line ends, even in a block that
   * dispatches nothing.
   */
  retry: number | undefined;
}

export interface SSEParserOptions {
  onEvent: (event: ServerSentEvent) => void;
  /** Each comment line (`:` first), without the colon and without one leading space after it. */
  onComment?: (comment: string) => void;
  /** Each valid `retry` field (ASCII digits only), in milliseconds, when its line ends. */
  onRetry?: (milliseconds: number) => void;
  /** Largest line or event (data buffer) in characters before the parser throws EventTooLargeError. Default 16 MiB (16 * 1024 * 1024). */
  maxEventSize?: number;
}

export interface SSEParser {
  /** Feed the next bytes, cut at any boundary. Throws EventTooLargeError past maxEventSize. */
  feed(chunk: Uint8Array): void;
  /** End of stream: flushes the decoder; an unterminated final event is discarded (WHATWG). */
  end(): void;
}

/** 16 MiB: far above any real chat-completion chunk, far below what would exhaust memory. */
export const DEFAULT_MAX_EVENT_SIZE = 16 * 1024 * 1024;

/** Data lines joined at a time in an event of many lines; see the data buffer in createSSEParser. */
const DATA_GROUP_LINES = 1024;

// Char codes compared on the hot path (cheaper than comparing one-character strings).
const LF = 10;
const CR = 13;
const SPACE = 32;
const COLON = 58;
const DIGIT_0 = 48;
const DIGIT_9 = 57;

/**
 * Creates a parser for one event stream. Not re-entrant: do not call `feed` from inside a callback.
 *
 * After `end()` the parser is ready for another stream (a reconnection): the decoder, the unfinished
 * line and the data and event type buffers start afresh, while the last event ID carries over as an
 * EventSource carries it over (wpt format-field-id): the id as of the last blank line, so an `id`
 * whose block was cut off by the end of the stream is forgotten (wpt
 * format-data-before-final-empty-line).
 */
export function createSSEParser(options: SSEParserOptions): SSEParser {
  const { onEvent, onComment, onRetry } = options;
  const maxEventSize = options.maxEventSize ?? DEFAULT_MAX_EVENT_SIZE;
  if (typeof maxEventSize !== "number" || Number.isNaN(maxEventSize) || maxEventSize < 1) {
    throw new RangeError(`maxEventSize must be a positive number of characters, got ${String(maxEventSize)}.`);
  }

  // WHATWG: the stream is UTF-8 decoded, always: a multi-byte character cut between two chunks is
  // kept until its last byte arrives, invalid bytes become U+FFFD, and exactly one leading BOM is
  // stripped (a second U+FEFF is kept as text, so `\uFEFFdata:` is then an unknown field).
  const decoder = new Utf8StreamDecoder();

  // The unfinished last line, as the fragments it arrived in; joined once, when its end arrives.
  const pendingFragments: string[] = [];
  // Sum of the fragments' lengths, so the size check does not walk the array on every feed.
  let pendingLength = 0;
  // The previous chunk ended with CR. A CR ends its line at once (no waiting for the next chunk),
  // but if the next character is LF, that LF is the second half of the same CRLF, not a blank line.
  let skipLeadingLF = false;

  // WHATWG buffers. `data` holds the event's first data line (the data buffer has no final LF here:
  // the LF that dispatch would remove anyway); `hasData` tells "no data line yet" apart from "one empty data line", which the
  // spec tells apart by the buffer being "" versus "\n".
  let data = "";
  let hasData = false;
  // Data lines after the first, in groups of at most DATA_GROUP_LINES joined as each group fills:
  // concatenating line by line would build a rope of one node per line (32 bytes each, so 16 Mi
  // empty lines cost half a GiB before the size limit trips), and one array of every line would
  // cost a pointer per line. Grouping keeps the buffer at about its size in characters.
  const dataGroups: string[] = [];
  const dataLines: string[] = [];
  let dataLength = 0;
  let eventType = "";
  let lastEventId = "";
  // The event source's "last event ID string": the buffer's value at the last blank line. A new
  // stream (after end()) starts its buffer from this, not from an id whose block never completed.
  let committedEventId = "";
  let retry: number | undefined;

  // Set once a size limit tripped: the stream is not trustworthy any more, so every later call
  // throws the same error instead of parsing from the middle of a line.
  let failure: EventTooLargeError | undefined;

  function tooLarge(what: string, size: number): never {
    // Drop what was buffered so that the memory is released even if the caller keeps the parser.
    pendingFragments.length = 0;
    pendingLength = 0;
    clearData();
    failure = new EventTooLargeError(
      `A server-sent event ${what} grew to ${size} characters, past maxEventSize (${maxEventSize}). ` +
        "The server may be sending a response without line breaks, or events larger than expected; " +
        "raise maxEventSize if such events are legitimate.",
    );
    throw failure;
  }

  function dispatch(): void {
    // WHATWG "dispatch the event": the last event ID is committed first, on every blank line; then
    // nothing is fired when the data buffer is empty, but the event type buffer (and, here, the
    // block's retry) is reset either way. The last event ID buffer itself is never reset.
    committedEventId = lastEventId;
    if (!hasData) {
      eventType = "";
      retry = undefined;
      return;
    }
    let eventData = data;
    if (dataLength > data.length) {
      if (dataLines.length > 0) dataGroups.push(dataLines.join("\n"));
      eventData = `${data}\n${dataGroups.join("\n")}`;
    }
    clearData();
    fire(eventData);
  }

  /** Fires an event with the given data and the current buffers, and resets the block's buffers. */
  function fire(eventData: string): void {
    const event: ServerSentEvent = {
      event: eventType === "" ? "message" : eventType,
      data: eventData,
      id: lastEventId,
      retry,
    };
    // Reset before calling out, so a throwing callback leaves the parser consistent.
    eventType = "";
    retry = undefined;
    onEvent(event);
  }

  function appendData(value: string): void {
    if (!hasData) {
      // The common case, one data line per event, stays a plain string.
      data = value;
      dataLength = value.length;
      hasData = true;
    } else {
      dataLines.push(value);
      dataLength += 1 + value.length;
      if (dataLines.length === DATA_GROUP_LINES) {
        dataGroups.push(dataLines.join("\n"));
        dataLines.length = 0;
      }
    }
    if (dataLength > maxEventSize) tooLarge("data buffer", dataLength);
  }

  function clearData(): void {
    data = "";
    hasData = false;
    dataGroups.length = 0;
    dataLines.length = 0;
    dataLength = 0;
  }

  /**
   * Interprets the line `text[start, end)`; `text[end]` is its CR or LF, or the end of `text`.
   * The prefix checks below may read past `end` without slicing first, yet never match across it:
   * they need every character up to the colon, and `text[end]` is a line terminator (or missing),
   * which is none of them. Likewise the one-space check after a colon sees the terminator, not a space.
   */
  function processLine(text: string, start: number, end: number): void {
    if (start === end) {
      dispatch();
      return;
    }
    const first = text.charCodeAt(start);

    // `data:` — by far the most common line, so it is matched first, by char code.
    if (first === 100 && isDataPrefix(text, start)) {
      // Exactly one space after the colon is stripped; any further spaces are part of the value.
      appendData(text.slice(text.charCodeAt(start + 5) === SPACE ? start + 6 : start + 5, end));
      return;
    }

    // Comment: ignored by the spec; reported to onComment without the colon and one space.
    if (first === COLON) {
      if (onComment !== undefined)
        onComment(text.slice(text.charCodeAt(start + 1) === SPACE ? start + 2 : start + 1, end));
      return;
    }

    // `event:` — "e" 101, "v" 118, "e" 101, "n" 110, "t" 116, ":" 58
    if (
      first === 101 &&
      text.charCodeAt(start + 5) === COLON &&
      text.charCodeAt(start + 1) === 118 &&
      text.charCodeAt(start + 2) === 101 &&
      text.charCodeAt(start + 3) === 110 &&
      text.charCodeAt(start + 4) === 116
    ) {
      eventType = text.slice(text.charCodeAt(start + 6) === SPACE ? start + 7 : start + 6, end);
      return;
    }

    // Everything else (`id`, `retry`, fields without a colon, unknown fields) is rarer and takes the
    // general path: the field name runs up to the first colon, or is the whole line if there is none.
    // The search runs on the line alone: `indexOf` on the whole chunk could run far past the line end
    // for every colon-less line, which is quadratic on a chunk full of them.
    const line = start === 0 && end === text.length ? text : text.slice(start, end);
    const colon = line.indexOf(":");
    if (colon === -1) {
      // A line without a colon is a field name with an empty value ("data" appends an empty line).
      processField(line, "");
      return;
    }
    // Exactly one space after the colon is stripped.
    const valueStart = line.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1;
    processField(line.slice(0, colon), line.slice(valueStart));
  }

  function processField(field: string, value: string): void {
    // Field names are compared literally: no case folding, no trimming (" data" is unknown).
    switch (field) {
      case "data":
        appendData(value);
        return;
      case "event":
        eventType = value;
        return;
      case "id":
        // WHATWG: an id containing U+0000 NULL is ignored (the previous id stays).
        if (value.indexOf("\0") === -1) lastEventId = value;
        return;
      case "retry": {
        // WHATWG: only a value made of ASCII digits counts ("", "1.5", " 1", "-1", "1e3" do not).
        if (value.length === 0) return;
        for (let i = 0; i < value.length; i++) {
          const code = value.charCodeAt(i);
          if (code < DIGIT_0 || code > DIGIT_9) return;
        }
        // Base ten, so "02000" is 2000, not octal.
        const milliseconds = Number.parseInt(value, 10);
        retry = milliseconds;
        if (onRetry !== undefined) onRetry(milliseconds);
        return;
      }
      default:
        // Unknown fields are ignored.
        return;
    }
  }

  /** Splits decoded text into lines, carrying an unfinished last line over to the next call. */
  function processText(text: string): void {
    const length = text.length;
    // The decoder returns "" while it holds an incomplete multi-byte character; keep skipLeadingLF
    // for the chunk that actually has characters.
    if (length === 0) return;
    let position = 0;
    if (skipLeadingLF) {
      skipLeadingLF = false;
      if (text.charCodeAt(0) === LF) position = 1;
    }

    // Cached positions of the next CR and LF at or after `position`; -1 means none in the rest of
    // this chunk, so it is never searched for again. Each is searched again only when the cursor has
    // moved past it, so every character is examined at most once per terminator kind.
    let nextCR = text.indexOf("\r", position);
    let nextLF = text.indexOf("\n", position);

    if (pendingFragments.length > 0) {
      const lineEnd = nextCR === -1 ? nextLF : nextLF === -1 || nextCR < nextLF ? nextCR : nextLF;
      if (lineEnd === -1) {
        // Still no end of line: remember the fragment (no concatenation, see the file comment).
        if (position < length) {
          pendingFragments.push(position === 0 ? text : text.slice(position));
          pendingLength += length - position;
          if (pendingLength > maxEventSize) tooLarge("line", pendingLength);
        }
        return;
      }
      const lineLength = pendingLength + lineEnd - position;
      if (lineLength > maxEventSize) tooLarge("line", lineLength);
      // The line usually spans two chunks: one `+` is cheaper than join() on a two-element array.
      // Longer runs of fragments are joined in one pass, which is what keeps a huge line linear.
      const line =
        pendingFragments.length === 1
          ? (pendingFragments[0] as string) + text.slice(position, lineEnd)
          : joinFragments(text.slice(position, lineEnd));
      pendingFragments.length = 0;
      pendingLength = 0;
      position = consumeTerminator(text, lineEnd);
      processLine(line, 0, line.length);
    }

    for (;;) {
      if (nextCR !== -1 && nextCR < position) nextCR = text.indexOf("\r", position);
      if (nextLF !== -1 && nextLF < position) nextLF = text.indexOf("\n", position);
      let lineEnd: number;
      if (nextLF === -1) {
        if (nextCR === -1) break;
        lineEnd = nextCR;
      } else {
        lineEnd = nextCR !== -1 && nextCR < nextLF ? nextCR : nextLF;
      }
      if (lineEnd - position > maxEventSize) tooLarge("line", lineEnd - position);
      const lineStart = position;
      // Fast path for the shape of nearly every chat-completion event, `data: {...}\n\n`: a first
      // data line followed at once by a blank line is dispatched straight from the chunk, without
      // going through the data buffer and a second trip round this loop for the blank line.
      if (
        !hasData &&
        text.charCodeAt(lineEnd) === LF &&
        text.charCodeAt(lineEnd + 1) === LF &&
        text.charCodeAt(lineStart) === 100 &&
        isDataPrefix(text, lineStart)
      ) {
        position = lineEnd + 2;
        committedEventId = lastEventId;
        fire(text.slice(text.charCodeAt(lineStart + 5) === SPACE ? lineStart + 6 : lineStart + 5, lineEnd));
        continue;
      }
      // Advance before interpreting the line, so the cursor is right even if a callback throws.
      position = consumeTerminator(text, lineEnd);
      processLine(text, lineStart, lineEnd);
    }

    if (position < length) {
      const rest = length - position;
      if (rest > maxEventSize) tooLarge("line", rest);
      pendingFragments.push(position === 0 ? text : text.slice(position));
      pendingLength = rest;
    }
  }

  function joinFragments(last: string): string {
    pendingFragments.push(last);
    return pendingFragments.join("");
  }

  /** Returns where the next line starts after the terminator at `lineEnd` (CR, LF or CRLF). */
  function consumeTerminator(text: string, lineEnd: number): number {
    const next = lineEnd + 1;
    if (text.charCodeAt(lineEnd) !== CR) return next;
    if (next === text.length) {
      // CR at the end of the chunk: its LF, if any, comes first thing in the next chunk.
      skipLeadingLF = true;
      return next;
    }
    return text.charCodeAt(next) === LF ? next + 1 : next;
  }

  // The decoder needs no reset here: its end() leaves it ready for the next stream.
  function resetStream(): void {
    pendingFragments.length = 0;
    pendingLength = 0;
    skipLeadingLF = false;
    clearData();
    eventType = "";
    retry = undefined;
    lastEventId = committedEventId;
  }

  return {
    feed(chunk: Uint8Array): void {
      if (failure !== undefined) throw failure;
      processText(decoder.decode(chunk));
    },
    end(): void {
      if (failure !== undefined) throw failure;
      // Flush the decoder. What it still holds is an incomplete multi-byte character, which becomes
      // U+FFFD: never a line end, so it could only extend the unterminated last line, dropped below.
      decoder.end();
      // WHATWG: "Once the end of the file is reached, any pending data must be discarded": the
      // unterminated last line and an event without its closing blank line are dropped.
      resetStream();
    },
  };
}

/**
 * Whether `text` has the field name `data:` at `i` ("d" 100, "a" 97, "t" 116, "a" 97, ":" 58).
 * Char codes compared in place: no substring is made just to look at a line's first five characters.
 */
function isDataPrefix(text: string, i: number): boolean {
  return (
    text.charCodeAt(i) === 100 &&
    text.charCodeAt(i + 4) === COLON &&
    text.charCodeAt(i + 1) === 97 &&
    text.charCodeAt(i + 2) === 116 &&
    text.charCodeAt(i + 3) === 97
  );
}
