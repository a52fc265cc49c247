/**
 * `npm run bench`: chatwire against the libraries people use today, side by side in one run.
 * `--quick` takes one short sample of everything (CI keeps the benchmarks working with it; its
 * numbers mean nothing). `--json FILE` writes every figure. `--only sse|e2e|cold|bundle` runs one
 * suite (or several, comma-separated).
 */
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { runBundleSize } from "./bundle-size.js";
import { runColdStart } from "./cold-start.js";
import { runEndToEnd } from "./end-to-end.js";
import { type RunOptions, ratioMet, type SuiteReport } from "./harness.js";
import { formatReport } from "./report.js";
import { runSseParsing } from "./sse-parsing.js";

const suites: Record<string, (options: RunOptions) => Promise<SuiteReport>> = {
  sse: runSseParsing,
  e2e: runEndToEnd,
  cold: runColdStart,
  bundle: runBundleSize,
};

const { values } = parseArgs({
  options: { quick: { type: "boolean", default: false }, json: { type: "string" }, only: { type: "string" } },
});
const chosen = values.only === undefined ? Object.keys(suites) : values.only.split(",");
for (const name of chosen) {
  if (!(name in suites))
    throw new Error(`Unknown suite "${name}" in --only: use one of ${Object.keys(suites).join(", ")}.`);
}

const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? "unknown CPU"}, ${process.platform}-${process.arch}, Node ${process.version}`;
const report: SuiteReport = { rows: [], ratios: [], notes: [] };
for (const name of chosen) {
  process.stderr.write(`running ${name}…\n`);
  const suite = await (suites[name] as (options: RunOptions) => Promise<SuiteReport>)({ quick: values.quick });
  report.rows.push(...suite.rows);
  report.ratios.push(...suite.ratios);
  report.notes.push(...suite.notes);
}

console.log(formatReport(report, machine, values.quick));
if (values.json !== undefined) {
  const ratios = report.ratios.map((ratio) => ({ ...ratio, met: ratioMet(ratio) }));
  writeFileSync(values.json, `${JSON.stringify({ machine, quick: values.quick, ...report, ratios }, null, 2)}\n`);
}
