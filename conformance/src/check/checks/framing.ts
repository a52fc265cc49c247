import { dialects } from "@chatwire/core";
import type { Check } from "../check.js";
import { shown } from "../describe.js";
import { Findings, skip } from "../verdict.js";

/** How the bytes of a stream are cut into events, on every stream the probes received. */
export const framingChecks: Check[] = [
  {
    id: "framing.content-type",
    severity: "required",
    rationale: "Clients, proxies and browsers only treat the body as server-sent events with `text/event-stream`.",
    async run(probes) {
      const findings = new Findings("`content-type: text/event-stream` on every streamed answer");
      for (const stream of await probes.streams()) {
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
    severity: "required",
    rationale: "Chat clients read only unnamed `data:` events; an `event:` name hides the chunk from them.",
    async run(probes) {
      const findings = new Findings("only unnamed `data:` events (no `event:` field)");
      for (const stream of await probes.streams()) {
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
    rationale: "The sentinel is how a client tells a finished stream from a dropped connection.",
    async run(probes) {
      const sentinel = dialects[probes.dialect].stream.done_sentinel;
      if (sentinel === null) return skip(`${probes.dialect} streams end without a sentinel (dialects.json)`);
      const findings = new Findings(`\`${sentinel}\` as the last event of every stream`);
      for (const stream of await probes.streams()) {
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
    rationale: "Clients stop reading at the sentinel, so anything sent after it is lost or read as a new stream.",
    async run(probes) {
      const sentinel = dialects[probes.dialect].stream.done_sentinel;
      if (sentinel === null) return skip(`${probes.dialect} streams end without a sentinel (dialects.json)`);
      const findings = new Findings(`no event after \`${sentinel}\``);
      for (const stream of await probes.streams()) {
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
    rationale: "Every event before the sentinel is parsed as a JSON chunk; one that is not breaks the client's stream.",
    async run(probes) {
      const findings = new Findings("every event before the sentinel to be one JSON object");
      for (const stream of await probes.streams()) {
        for (const bad of stream.unparsable) {
          findings.add(`event ${bad.event} of ${stream.label} is ${shown(bad.data)} (${bad.reason})`);
        }
      }
      return findings.verdict();
    },
  },
];
