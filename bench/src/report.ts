/** The printed form of a benchmark run: figures per contender, then ratios against their targets. */
import { type Figure, type Ratio, type Row, ratioMet, type SuiteReport } from "./harness.js";

export function formatReport(report: SuiteReport, machine: string, quick: boolean): string {
  const lines = [`machine: ${machine}${quick ? " (quick mode: one sample, figures not meaningful)" : ""}`, ""];
  lines.push(
    table(
      ["suite", "case", "contender", "median", "spread (min–max)", "samples"],
      report.rows.map((row: Row) => [
        row.suite,
        row.case,
        row.contender,
        `${format(row.figure.median)} ${row.unit}`,
        spread(row.figure),
        String(row.figure.samples),
      ]),
    ),
  );
  lines.push("");
  lines.push(
    table(
      ["suite", "ratio", "value", "target", "met"],
      report.ratios.map((ratio: Ratio) => {
        const met = ratioMet(ratio);
        return [
          ratio.suite,
          ratio.name,
          ratio.value.toFixed(2),
          ratio.target ? `${ratio.target.op} ${ratio.target.value}` : "",
          met === undefined ? "" : met ? "yes" : "NO",
        ];
      }),
    ),
  );
  if (report.notes.length > 0) lines.push("", ...report.notes.map((note) => `- ${note}`));
  return lines.join("\n");
}

function spread(figure: Figure): string {
  return `${format(figure.min)}–${format(figure.max)}`;
}

function format(value: number): string {
  if (value >= 100) return Math.round(value).toLocaleString("en-US");
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] as number)).join(" | ")} |`;
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}
