/**
 * What every suite shares: running contenders side by side under tinybench, turning latencies into
 * throughput, and the row and ratio records that main.ts prints as a table and writes as JSON.
 */
import { Bench } from "tinybench";

export interface RunOptions {
  /** One short sample per contender, only to keep the benchmarks working (CI). */
  quick: boolean;
}

/** A throughput or time figure: the median of the samples and their spread. */
export interface Figure {
  median: number;
  min: number;
  max: number;
  samples: number;
}

export interface Row {
  suite: string;
  case: string;
  contender: string;
  unit: string;
  figure: Figure;
}

export interface Ratio {
  suite: string;
  /** What is divided by what, e.g. "chatwire / eventsource-parser, input (a)". */
  name: string;
  value: number;
  /** The target, e.g. ">= 1.5"; undefined for a figure reported without one. */
  target?: { op: ">=" | "<="; value: number };
}

export interface SuiteReport {
  rows: Row[];
  ratios: Ratio[];
  /** Anything a reader needs to interpret the numbers (heap growth, input sizes). */
  notes: string[];
}

export type Task = () => unknown;

/**
 * Runs `tasks` one after another with tinybench (warm-up first), then again in reverse order, so a
 * drift of the machine's speed during the run does not favour whoever goes first. Returns each
 * task's per-iteration latency samples in milliseconds.
 */
export async function sampleLatencies(
  tasks: Record<string, Task>,
  options: RunOptions,
): Promise<Map<string, number[]>> {
  const names = Object.keys(tasks);
  const latencies = new Map<string, number[]>(names.map((name) => [name, []]));
  const rounds = options.quick ? [names] : [names, [...names].reverse()];
  for (const order of rounds) {
    const bench = new Bench({
      time: options.quick ? 0 : 1_000,
      iterations: options.quick ? 1 : 5,
      warmup: !options.quick,
      warmupTime: 200,
      warmupIterations: 2,
      retainSamples: true,
      throws: true,
    });
    for (const name of order) bench.add(name, tasks[name] as Task);
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result;
      if (result.state !== "completed") throw new Error(`benchmark task ${task.name} ended ${result.state}`);
      latencies.get(task.name)?.push(...(result.latency.samples ?? []));
    }
  }
  return latencies;
}

/** `amount` units per iteration over the latency samples (ms), as units per second. */
export function throughput(latenciesMs: readonly number[], amount: number): Figure {
  const rates = latenciesMs.map((ms) => amount / (ms / 1000));
  return summarize(rates);
}

export function summarize(values: readonly number[]): Figure {
  if (values.length === 0) throw new Error("no samples to summarize");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median =
    sorted.length % 2 === 1
      ? (sorted[middle] as number)
      : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number, samples: sorted.length };
}

export function ratioMet(ratio: Ratio): boolean | undefined {
  if (!ratio.target) return undefined;
  return ratio.target.op === ">=" ? ratio.value >= ratio.target.value : ratio.value <= ratio.target.value;
}
