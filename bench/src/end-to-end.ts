/**
 * Suite "end-to-end": a whole streamed chat completion read through each client's public API, from
 * an injected fetch serving prebuilt bytes, so the figures are the clients' own cost (SSE parsing,
 * JSON, validation, iteration) with no network in the way.
 */

import { buildChatStream, fetchServing } from "./chat-stream.js";
import { CONTENDERS, type ContenderName, streamReaders } from "./e2e-contenders.js";
import { heapReport } from "./e2e-heap-report.js";
import { type Row, type RunOptions, type SuiteReport, sampleLatencies, throughput } from "./harness.js";

const SUITE = "end-to-end";
const MiB = 1024 * 1024;

export async function runEndToEnd(options: RunOptions): Promise<SuiteReport> {
  const chunkCount = options.quick ? 10_000 : 100_000;
  const stream = buildChatStream(chunkCount);
  const readers = streamReaders(fetchServing(stream));

  const tasks: Record<string, () => Promise<void>> = {};
  for (const name of CONTENDERS) {
    tasks[name] = async () => {
      let chunks = 0;
      let characters = 0;
      await readers[name]((content) => {
        chunks += 1;
        characters += content?.length ?? 0;
      });
      // Checked on every sample: it keeps the reads observable, and a contender that drops or
      // merges chunks must not post a figure.
      if (chunks !== chunkCount || characters !== stream.content.length) {
        throw new Error(
          `${name} read ${chunks} chunks and ${characters} characters, expected ${chunkCount} and ${stream.content.length}`,
        );
      }
    };
  }
  const latencies = await sampleLatencies(tasks, options);

  const caseName = `${chunkCount.toLocaleString("en-US")}-chunk stream`;
  const figures = new Map(CONTENDERS.map((name) => [name, throughput(latencies.get(name) ?? [], chunkCount)]));
  const rows: Row[] = [...figures].map(([name, figure]) => ({
    suite: SUITE,
    case: caseName,
    contender: name,
    unit: "chunks/s",
    figure,
  }));
  const median = (name: ContenderName): number => figures.get(name)?.median ?? Number.NaN;

  const heap = await heapReport(SUITE, options);
  return {
    rows: [...rows, ...heap.rows],
    ratios: [
      {
        suite: SUITE,
        name: "chatwire strict / openai",
        value: median("chatwire strict") / median("openai"),
        target: { op: ">=", value: 1.2 },
      },
      { suite: SUITE, name: "chatwire off / openai", value: median("chatwire off") / median("openai") },
      {
        suite: SUITE,
        name: "chatwire strict / openai .stream() (both accumulate)",
        value: median("chatwire strict") / median("openai .stream()"),
      },
    ],
    notes: [
      `${SUITE}: ${caseName} of ${(stream.byteLength / MiB).toFixed(1)} MiB (Gradient/OpenAI chunk shape), served by an injected fetch in ${stream.pieces.length} pieces of 1–16 KiB; each sample creates the stream with chat.completions.create and reads every chunk.`,
      ...heap.notes,
    ],
  };
}
