import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGE_DIR } from "../fixture.js";
import { CHECKS } from "./catalogue.js";

const README = join(PACKAGE_DIR, "README.md");
const START = "<!-- check table: written from src/check/catalogue.ts by catalogue-table.test.ts -->";
const END = "<!-- end of check table -->";
const KIND = { spec: "spec rule", "data-loss": "SDK data loss", advice: "advice" } as const;

const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");

/** The README's table of every check: id, severity, the impact behind it, and the evidence it needs. */
function checkTable(): string {
  const rows = CHECKS.map(
    (check) =>
      `| \`${check.id}\` | ${check.severity} | ${KIND[check.impact.kind]}: ${cell(check.impact.detail)} | ${cell(check.needs)} |`,
  );
  return [
    START,
    "",
    "| check | severity | why that severity | needs |",
    "| --- | --- | --- | --- |",
    ...rows,
    "",
    END,
  ].join("\n");
}

describe("the README's check table", () => {
  it("lists every check of the catalogue with its severity, impact and evidence", () => {
    const text = readFileSync(README, "utf8");
    const start = text.indexOf(START);
    const end = text.indexOf(END);
    expect(start, `README.md needs the markers ${START} ... ${END}`).toBeGreaterThan(-1);
    const written = text.slice(start, end + END.length);
    // CHATWIRE_WRITE_README=1 rewrites the table from the catalogue instead of comparing.
    if (process.env.CHATWIRE_WRITE_README === "1") writeFileSync(README, text.replace(written, checkTable()));
    else expect(written).toBe(checkTable());
  });
});
