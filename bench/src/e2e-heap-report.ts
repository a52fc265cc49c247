/** The heap part of the end-to-end suite: rows and notes from reading a short and a long stream. */

import { buildChatStream, fetchServing } from "./chat-stream.js";
import { CONTENDERS, type ContenderName, streamReaders } from "./e2e-contenders.js";
import { exposedGC, type HeapProfile, profileHeap } from "./e2e-heap.js";
import type { Row, RunOptions } from "./harness.js";

const MiB = 1024 * 1024;

/** Heap before, at its peak during, and after reading a short and a ten-times-longer stream. */
export async function heapReport(suite: string, options: RunOptions): Promise<{ rows: Row[]; notes: string[] }> {
  const gc = exposedGC();
  const [short, long] = options.quick ? [1_000, 10_000] : [10_000, 100_000];
  const profiles = new Map<number, Map<ContenderName, HeapProfile>>();
  // One unmeasured read each first: otherwise the first "before" still holds what the timing runs
  // left behind, and the first profile shows it being freed as if the read used less than nothing.
  const warmReaders = streamReaders(fetchServing(buildChatStream(short)));
  for (const name of CONTENDERS) await warmReaders[name](() => {});
  for (const size of [short, long]) {
    // Built (and its bytes allocated) before the first "before" sample, so only the read is measured.
    const readers = streamReaders(fetchServing(buildChatStream(size)));
    const bySize = new Map<ContenderName, HeapProfile>();
    for (const name of CONTENDERS) bySize.set(name, await profileHeap(readers[name], size, gc));
    profiles.set(size, bySize);
  }

  const rows: Row[] = [];
  const notes: string[] = [
    gc
      ? `${suite} heap: heapUsed after a full gc, before the read, every tenth of the read and after it; "growth" is the peak minus before.`
      : `${suite} heap: globalThis.gc is unavailable (run node --expose-gc dist/main.js for live-heap figures), so the samples include garbage not yet collected; read them as upper bounds.`,
    `${suite} heap: chatwire's Stream keeps the completion's text (joined into flat blocks as it comes) so that finalCompletion() works after a for await loop; the chunk objects themselves are not kept. The openai client's plain stream keeps nothing and has no final completion; its .stream() helper keeps one.`,
  ];
  const growth = (size: number, name: ContenderName): number => {
    const profile = profiles.get(size)?.get(name);
    return profile === undefined ? Number.NaN : profile.peak - profile.before;
  };
  for (const size of [short, long]) {
    for (const name of CONTENDERS) {
      const mib = growth(size, name) / MiB;
      rows.push({
        suite,
        case: `heap growth, ${size.toLocaleString("en-US")} chunks`,
        contender: name,
        unit: "MiB",
        figure: { median: mib, min: mib, max: mib, samples: 1 },
      });
    }
  }
  for (const name of CONTENDERS) {
    const perChunk = (growth(long, name) - growth(short, name)) / (long - short);
    const runs = [short, long].map((size) => {
      const profile = profiles.get(size)?.get(name);
      return `${size.toLocaleString("en-US")} chunks: ${profile ? describe(profile) : "not measured"}`;
    });
    notes.push(`${suite} heap, ${name}: ${runs.join("; ")}; ${perChunk.toFixed(1)} bytes of growth per extra chunk.`);
  }
  return { rows, notes };
}

function describe(profile: HeapProfile): string {
  const mib = (bytes: number): string => (bytes / MiB).toFixed(2);
  const signed = (bytes: number): string => `${bytes >= 0 ? "+" : ""}${mib(bytes)}`;
  return `before ${mib(profile.before)}, peak ${mib(profile.peak)} (${signed(profile.peak - profile.before)}), after ${mib(profile.after)} (${signed(profile.after - profile.before)}) MiB`;
}
