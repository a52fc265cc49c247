import { dialects } from "@chatwire/core";
import { advice, type Check, dataLoss } from "../check.js";
import { shown } from "../describe.js";
import { needEvents, needSome } from "../evidence.js";
import { Findings, skip } from "../verdict.js";

/** How the bytes of a stream are cut into events, on every stream the probes received. */
export const framingChecks: Check[] = [
  {
    id: "framing.content-type",
    severity: "required",
    impact: dataLoss(
      "the whole reply: core refuses a 2xx stream answer that is not text/event-stream (StreamError not-event-stream)",
    ),
    rationale: "Clients, proxies and browsers only treat the body as server-sent events with `text/event-stream`.",
    needs: "a successful answer to the plain stream",
    async run(probes) {
      const findings = new Findings("`content-type: text/event-stream` on every streamed answer");
      for (const stream of await probes.streams(undefined, () => {})) {
        if (!/^\s*text\/event-stream\s*(;|$)/i.test(stream.contentType)) {
          findings.add(
            `${stream.label} came with ${stream.contentType ? `\`${stream.contentType}\`` : "no content type"}`,
          );
        }
      }
      return findings.verdict();
    },
  },
  {
    id: "framing.data-only",
    severity: "recommended",
    impact: advice(
      "EventSource `onmessage` clients miss named events; chatwire's SDKs read a named event's data as a chunk (only `event: error` is an error)",
    ),
    rationale: "Chat clients read only unnamed `data:` events; an `event:` name hides the chunk from them.",
    needs: "at least one event of the plain stream",
    async run(probes) {
      const findings = new Findings("only unnamed `data:` events (no `event:` field)");
      for (const stream of await probes.streams(undefined, needEvents)) {
        stream.events.forEach((event, index) => {
          if (event.event !== "message") {
            findings.add(`event ${index + 1} of ${stream.label} is named \`${event.event}\``);
          }
        });
      }
      return findings.verdict();
    },
  },
  {
    id: "framing.done-sentinel",
    severity: "required",
    impact: dataLoss(
      "the whole reply: core ends a stream without the dialect's sentinel (dialects.json `stream.done_sentinel`) with StreamError truncated",
    ),
    rationale: "The sentinel is how a client tells a finished stream from a dropped connection.",
    needs: "at least one event of the plain stream",
    async run(probes) {
      const sentinel = dialects[probes.dialect].stream.done_sentinel;
      if (sentinel === null) return skip(`${probes.dialect} streams end without a sentinel (dialects.json)`);
      const findings = new Findings(`\`${sentinel}\` as the last event of every stream`);
      for (const stream of await probes.streams(undefined, needEvents)) {
        if (stream.sentinelAt === -1) {
          findings.add(`${stream.label} ended after ${stream.events.length} events without \`${sentinel}\``);
        }
      }
      return findings.verdict();
    },
  },
  {
    id: "framing.nothing-after-done",
    severity: "required",
    impact: dataLoss("every event after the sentinel: core stops reading there"),
    rationale: "Clients stop reading at the sentinel, so anything sent after it is lost or read as a new stream.",
    needs: "a stream that carried the sentinel",
    async run(probes) {
      const sentinel = dialects[probes.dialect].stream.done_sentinel;
      if (sentinel === null) return skip(`${probes.dialect} streams end without a sentinel (dialects.json)`);
      const findings = new Findings(`no event after \`${sentinel}\``);
      const streams = await probes.streams(undefined, needEvents);
      needSome(
        streams.filter((stream) => stream.sentinelAt !== -1).length,
        `a stream that carried \`${sentinel}\``,
        `no stream carried it (see framing.done-sentinel)`,
      );
      for (const stream of streams) {
        if (stream.sentinelAt === -1) continue;
        const after = stream.events.slice(stream.sentinelAt + 1);
        const first = after[0];
        if (first) {
          findings.add(
            `${after.length} event(s) followed \`${sentinel}\` in ${stream.label}, the first: ${shown(first.data)}`,
          );
        }
      }
      return findings.verdict();
    },
  },
  {
    id: "framing.json-events",
    severity: "required",
    impact: dataLoss(
      "the rest of the reply: core ends the stream at an event that is not JSON (StreamError invalid-json)",
    ),
    rationale: "Every event before the sentinel is parsed as a JSON chunk; one that is not breaks the client's stream.",
    needs: "at least one event before the sentinel in the plain stream",
    async run(probes) {
      const findings = new Findings("every event before the sentinel to be one JSON object");
      const streams = await probes.streams(undefined, (plain) =>
        needSome(
          plain.sentinelAt === -1 ? plain.events.length : plain.sentinelAt,
          `at least one event before the sentinel in ${plain.label}`,
          `${plain.label} had none (${plain.events.length} events in all)`,
        ),
      );
      for (const stream of streams) {
        for (const bad of stream.unparsable) {
          findings.add(`event ${bad.event} of ${stream.label} is ${shown(bad.data)} (${bad.reason})`);
        }
      }
      return findings.verdict();
    },
  },
];
