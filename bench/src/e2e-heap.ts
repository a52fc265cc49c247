/**
 * Heap use while a client reads a stream: whether memory grows with the number of chunks (a leak,
 * or everything buffered) or stays flat (chunks released as they are read).
 */
import type { StreamReader } from "./e2e-contenders.js";

/** Bytes of heap in use: before the read, the most seen during it, and after it. */
export interface HeapProfile {
  before: number;
  peak: number;
  after: number;
}

/** The V8 collector when node runs with `--expose-gc`; undefined otherwise. */
export function exposedGC(): (() => void) | undefined {
  const gc: unknown = (globalThis as { gc?: unknown }).gc;
  return typeof gc === "function" ? (gc as () => void) : undefined;
}

/**
 * Reads one stream of `chunkCount` chunks, sampling the heap ten times along the way. With `gc`,
 * every sample is taken right after a full collection, so it is the live heap (what the read holds
 * on to) rather than garbage the collector has not reached yet.
 */
export async function profileHeap(
  read: StreamReader,
  chunkCount: number,
  gc: (() => void) | undefined,
): Promise<HeapProfile> {
  const sampleEvery = Math.max(1, Math.floor(chunkCount / 10));
  const heapNow = (): number => {
    gc?.();
    return process.memoryUsage().heapUsed;
  };
  const before = heapNow();
  let peak = before;
  let chunks = 0;
  await read(() => {
    chunks += 1;
    if (chunks % sampleEvery === 0) peak = Math.max(peak, heapNow());
  });
  if (chunks !== chunkCount) throw new Error(`heap run read ${chunks} chunks, expected ${chunkCount}`);
  const after = heapNow();
  return { before, peak: Math.max(peak, after), after };
}
