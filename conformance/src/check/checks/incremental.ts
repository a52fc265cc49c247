import { advice, type Check } from "../check.js";
import { extraProbes, LONG_STREAM_TOKENS } from "../probes-extra.js";
import { fail, NoEvidence, pass } from "../verdict.js";

/** The share of the stream's time by which the first chunk must come before the last. */
const MIN_SPREAD = 0.25;

/** A stream must arrive as it is generated, not all at once at the end. */
export const incrementalCheck: Check = {
  id: "stream.incremental",
  severity: "recommended",
  impact: advice(
    "helps every user of a stream: nothing is lost, but a held-back stream is as slow to show as a whole reply",
  ),
  needs: "a successful stream of at least 64 chunks, with the time each arrived",
  rationale:
    "Streaming exists to show text as it is generated; a backend or proxy that holds the stream back until the end loses nothing but makes the wait as long as without it.",
  async run(probes) {
    const stream = await extraProbes(probes).longStream();
    const times = stream.chunks.map((chunk) => stream.arrivals[chunk.event - 1] ?? 0);
    if (stream.chunks.length < LONG_STREAM_TOKENS) {
      throw new NoEvidence(
        `${stream.label}: at least ${LONG_STREAM_TOKENS} chunks to time`,
        `${stream.chunks.length} chunks`,
      );
    }
    const first = times[0] ?? 0;
    const last = times.at(-1) ?? 0;
    const ms = (value: number) => `${value.toFixed(1)} ms`;
    if (last - first >= MIN_SPREAD * last) return pass();
    return fail(
      `the first chunk of ${stream.label} at least ${MIN_SPREAD * 100} % of the stream's time before the last`,
      `the first of ${stream.chunks.length} chunks at ${ms(first)}, the last at ${ms(last)} after the request`,
    );
  },
};
