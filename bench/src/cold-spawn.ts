/** Wall-clock timing of short node processes, each started fresh, with warm-up and interleaving. */
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";

export interface ColdScript {
  name: string;
  /** An ES module's source, run with `node --input-type=module -e`. */
  source: string;
}

export interface ColdTiming {
  /** Where the processes run; bare specifiers resolve from here. */
  cwd: string;
  /** Runs of each script thrown away first, so the OS file cache is warm for every contender alike. */
  warmupRuns: number;
  runs: number;
}

/**
 * Each script's run times in ms. The measured runs go round-robin, and the order rotates every
 * round, so a change in the machine's load lands on every script alike rather than on one.
 */
export function timeColdStarts(scripts: readonly ColdScript[], timing: ColdTiming): Map<string, number[]> {
  for (let run = 0; run < timing.warmupRuns; run++) for (const script of scripts) timeOnce(script, timing.cwd);
  const samples = new Map<string, number[]>(scripts.map((script) => [script.name, []]));
  for (let run = 0; run < timing.runs; run++) {
    for (let offset = 0; offset < scripts.length; offset++) {
      const script = scripts[(run + offset) % scripts.length] as ColdScript;
      samples.get(script.name)?.push(timeOnce(script, timing.cwd));
    }
  }
  return samples;
}

/** Spawned synchronously: no event-loop turn of this process sits inside the measured interval. */
function timeOnce(script: ColdScript, cwd: string): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script.source], {
    cwd,
    stdio: ["ignore", "ignore", "pipe"],
  });
  const elapsed = performance.now() - start;
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`cold start of ${script.name} exited ${result.status}: ${result.stderr.toString().trim()}`);
  }
  return elapsed;
}
