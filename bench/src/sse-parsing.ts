/**
 * Suite 1: SSE parsing, bytes in -> events out, chatwire against eventsource-parser, the official
 * openai client's decoder and the decode-and-scan floor, on inputs (a), (b) and (c).
 */

import { bodyOf } from "./chat-stream.js";
import { type Ratio, type Row, type RunOptions, type SuiteReport, sampleLatencies, throughput } from "./harness.js";
import {
  type ParseResult,
  type ParserContender,
  parserContenders,
  type StreamContender,
  streamContenders,
} from "./sse-contenders.js";
import { buildInputs, FULL_SIZES, type SseInput } from "./sse-inputs.js";

const SUITE = "sse-parsing";
const FLOOR = "floor: decode + indexOf";
const QUICK_SIZES = { chatChunks: 2_000, byteAtATimeChunks: 200, bigEvents: 50 };

// The targets for chatwire against eventsource-parser, per input; (d) is reported without one.
const AGAINST_EVENTSOURCE_PARSER: Record<string, number | undefined> = { a: 1.5, b: 1, c: 1 };
const WITHIN_FLOOR = 1.3;

export async function runSseParsing(options: RunOptions): Promise<SuiteReport> {
  const inputs = buildInputs(options.quick ? QUICK_SIZES : FULL_SIZES);
  const report: SuiteReport = { rows: [], ratios: [], notes: [] };
  for (const [key, input] of Object.entries(inputs)) {
    for (const level of ["parser", "stream"] as const) {
      const tasks = level === "parser" ? parserTasks(parserContenders, input) : streamTasks(streamContenders, input);
      const latencies = await sampleLatencies(tasks, options);
      const rates = new Map<string, number>();
      for (const [contender, samples] of latencies) {
        const figure = throughput(samples, input.bytes / 1e6);
        rates.set(contender, figure.median);
        report.rows.push({
          suite: SUITE,
          case: `${level}: ${input.label}`,
          contender,
          unit: "MB/s",
          figure,
        } satisfies Row);
      }
      report.ratios.push(...ratiosFor(level, key, rates));
    }
  }
  report.notes.push(
    "parser level: bytes fed synchronously, events out through a callback; eventsource-parser gets the same " +
      "streaming TextDecoder that TextDecoderStream runs, without the stream machinery.",
    "stream level: a ReadableStream of the same pieces; chatwire's iterateServerSentEvents, the Vercel AI SDK's " +
      "TextDecoderStream -> EventSourceParserStream pipeline, openai's _iterSSEMessages (the client's path up to its JSON.parse).",
  );
  return report;
}

function ratiosFor(level: string, input: string, rates: Map<string, number>): Ratio[] {
  const chatwire = rates.get("chatwire") as number;
  const ratio = (contender: string) => chatwire / (rates.get(contender) as number);
  const ratios: Ratio[] = [
    {
      suite: SUITE,
      name: `${level} ${input}: chatwire / eventsource-parser`,
      value: ratio("eventsource-parser"),
      ...(AGAINST_EVENTSOURCE_PARSER[input] !== undefined && {
        target: { op: ">=" as const, value: AGAINST_EVENTSOURCE_PARSER[input] },
      }),
    },
  ];
  if (rates.has("openai"))
    ratios.push({ suite: SUITE, name: `${level} ${input}: chatwire / openai`, value: ratio("openai") });
  // "Within 1.3x of the floor": the floor's throughput over chatwire's.
  ratios.push({
    suite: SUITE,
    name: `${level} ${input}: floor / chatwire`,
    value: (rates.get(FLOOR) as number) / chatwire,
    ...(input === "a" && { target: { op: "<=" as const, value: WITHIN_FLOOR } }),
  });
  return ratios;
}

function parserTasks(contenders: Record<string, ParserContender>, input: SseInput): Record<string, () => void> {
  return Object.fromEntries(
    Object.entries(contenders).map(([name, parse]) => [name, () => expectAll(name, input, parse(input.pieces))]),
  );
}

function streamTasks(
  contenders: Record<string, StreamContender>,
  input: SseInput,
): Record<string, () => Promise<void>> {
  return Object.fromEntries(
    Object.entries(contenders).map(([name, parse]) => [
      name,
      async () => expectAll(name, input, await parse(bodyOf(input.pieces))),
    ]),
  );
}

/** A contender that drops events would look fast; every run is checked. */
function expectAll(contender: string, input: SseInput, result: ParseResult): void {
  if (result.events !== input.events) {
    throw new Error(`${contender} read ${result.events} events from ${input.label}, expected ${input.events}`);
  }
}
