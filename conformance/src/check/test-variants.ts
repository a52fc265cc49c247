import { isObject, type JsonObject } from "../json.js";
import { frameEvent, type Mutant, type ProxiedEvent, pacedWrites, type TimedWrite } from "./test-mutant-proxy.js";

/**
 * Benign wire variants: the same events written another way that the SSE spec
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html) or the chat-completions wire
 * allows. Every SDK must read them as the plain framing, and the checker must judge them alike.
 */
export interface WireVariant {
  name: string;
  /** What changes on the wire, for the table in the README. */
  what: string;
  mutant: Mutant;
  /** What the raw bytes of a stream through the variant contain, to show that the variant was applied. */
  marker?: RegExp;
  /**
   * Recommended checks this variant may turn from pass to fail, by dialect, because the variant is
   * exactly what they advise against. Never a required check.
   */
  mayFail?: Partial<Record<string, readonly string[]>>;
}

const SENTINEL = "[DONE]";

/** Rewrites every JSON chunk of every stream; the sentinel and anything unparsable stay as they are. */
function onEveryChunk(change: (chunk: JsonObject) => JsonObject[]): Mutant {
  return {
    events: (_traffic, events) =>
      events.flatMap((event): ProxiedEvent[] => {
        if (event.data === SENTINEL) return [event];
        let chunk: unknown;
        try {
          chunk = JSON.parse(event.data);
        } catch {
          return [event];
        }
        if (!isObject(chunk)) return [event];
        return change(chunk).map((value) => ({ ...event, data: JSON.stringify(value) }));
      }),
  };
}

const withLineEnd = (end: string): Mutant => ({ frame: (_traffic, event) => frameEvent(event).replace(/\n/g, end) });

/** Every write cut into pieces of `size` characters, sent together: a CR and its LF can land in two reads. */
function cutWrites(size: number): NonNullable<Mutant["writes"]> {
  return (_traffic, frames, arrivals) =>
    pacedWrites(frames, arrivals).flatMap((write) =>
      Array.from({ length: Math.ceil(write.text.length / size) }, (_, piece) => ({
        text: write.text.slice(piece * size, piece * size + size),
        at: write.at,
      })),
    );
}

/**
 * The whole stream in one write. The 64-token stream that `stream.incremental` times is written in
 * four writes at its own pace instead: a backend that holds a whole long stream back is what that
 * check exists to flag, so that one stream cannot be benign.
 */
function allInOne(
  traffic: { probe: string | undefined },
  frames: readonly string[],
  arrivals: readonly number[],
): TimedWrite[] {
  const end = (arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0);
  if (traffic.probe !== "longStream") return [{ text: frames.join(""), at: end }];
  const paced = pacedWrites(frames, arrivals);
  const size = Math.ceil(paced.length / 4);
  const writes: TimedWrite[] = [];
  for (let start = 0; start < paced.length; start += size) {
    const group = paced.slice(start, start + size);
    writes.push({ text: group.map((write) => write.text).join(""), at: group.at(-1)?.at ?? end });
  }
  return writes;
}

export const WIRE_VARIANTS: readonly WireVariant[] = [
  { name: "crlf", what: "every line ends with CRLF", mutant: withLineEnd("\r\n"), marker: /\}\r\n\r\ndata: /u },
  { name: "cr", what: "every line ends with a lone CR", mutant: withLineEnd("\r"), marker: /\}\r\rdata: [^\n]*\r\r/u },
  {
    name: "data-no-space",
    what: "`data:` without the space before the value",
    mutant: { frame: (_traffic, event) => frameEvent(event).replace(/^data: /gm, "data:") },
    marker: /^data:\{/mu,
  },
  {
    name: "comments-pings",
    what: "a `: ping` comment, a bare `:` line and a data-less `event: ping` before every event",
    mutant: { frame: (_traffic, event) => `: ping\n\n:\nevent: ping\n\n${frameEvent(event)}` },
    marker: /\n\n: ping\n\n:\nevent: ping\n\ndata: /u,
  },
  {
    name: "bom",
    what: "a UTF-8 byte order mark before the first event (the SSE decoder drops it)",
    mutant: { frame: (_traffic, event, index) => `${index === 0 ? "\uFEFF" : ""}${frameEvent(event)}` },
    marker: /^\uFEFFdata: \{/u,
  },
  {
    name: "id-retry",
    what: "`id:` and `retry:` fields on every event",
    mutant: { frame: (_traffic, event, index) => `id: ${index + 1}\nretry: 3000\n${frameEvent(event)}` },
    marker: /^id: 2\nretry: 3000\ndata: \{/mu,
  },
  {
    name: "own-writes",
    what: "every event in its own write, at the backend's pace (the proxy's default made explicit)",
    mutant: { writes: (_traffic, frames, arrivals) => pacedWrites(frames, arrivals) },
  },
  {
    name: "split-writes",
    what: "every event cut into writes of 5 bytes",
    mutant: { writes: cutWrites(5) },
  },
  {
    name: "crlf-split",
    what: "CRLF line ends, every write cut between each CR and its LF, the pieces 1 ms apart so they arrive in separate reads",
    mutant: {
      ...withLineEnd("\r\n"),
      writes: (_traffic, frames, arrivals) =>
        pacedWrites(frames, arrivals).flatMap((write) =>
          write.text.split(/(?<=\r)(?=\n)/u).map((text, piece) => ({ text, at: write.at + piece })),
        ),
    },
  },
  {
    name: "multi-line-data",
    what: "each chunk's JSON pretty-printed over several `data:` lines, CRLF, writes of 3 bytes",
    mutant: {
      ...onEveryChunk((chunk) => [chunk]),
      frame: (_traffic, event) => {
        let data = event.data;
        try {
          data = JSON.stringify(JSON.parse(data), null, 1);
        } catch {}
        return frameEvent({ ...event, data }).replace(/\n/g, "\r\n");
      },
      writes: cutWrites(3),
    },
    marker: /^data: \{\r\ndata: {2}"id": /mu,
  },
  { name: "all-in-one", what: "the whole stream in one write", mutant: { writes: allInOne } },
  {
    name: "unknown-fields",
    what: "unknown fields on every chunk and every choice",
    marker: /"x_choice_note":null.*"x_backend":\{"region":"local","took_ms":1\}/u,
    mutant: onEveryChunk((chunk) => [
      {
        ...chunk,
        x_backend: { region: "local", took_ms: 1 },
        ...(Array.isArray(chunk.choices) && {
          choices: chunk.choices.map((choice) => (isObject(choice) ? { ...choice, x_choice_note: null } : choice)),
        }),
      },
    ]),
  },
  {
    name: "usage-own-chunk",
    what: "usage moved off a chunk with choices onto a chunk of its own (`choices: []`) right after it",
    mutant: onEveryChunk((chunk) => {
      const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
      if (chunk.usage === undefined || chunk.usage === null || choices.length === 0) return [chunk];
      const { usage, ...rest } = chunk;
      return [rest, { ...rest, choices: [], usage }];
    }),
    // dialects.json puts OctoAI's usage on the finishing chunk; usage.placement advises that placement.
    mayFail: { octoai: ["usage.placement"] },
  },
  {
    name: "late-close",
    what: "the connection stays open 300 ms after `[DONE]`",
    mutant: { lingerMs: () => 300 },
  },
];
