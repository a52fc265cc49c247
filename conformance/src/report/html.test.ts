import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { SuiteReport } from "../results.js";
import { toHTML } from "./html.js";
import { REPORT_SCRIPT } from "./html-script.js";
import { REPORT_STYLE } from "./html-style.js";
import { HOSTILE_TEXT, LONG_GOT_LENGTH, parityReports } from "./test-parity-reports.js";
import { sampleReports } from "./test-reports.js";

interface ShownText {
  text: string;
  shown?: number;
  length?: number;
}

interface DetailsData {
  suites: { kind: string; target: string; results: { id: string; got?: ShownText; note?: ShownText }[] }[];
}

function detailsData(html: string): DetailsData {
  const block = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)?.[1];
  if (block === undefined) throw new Error("no report-data block");
  return JSON.parse(block) as DetailsData;
}

function count(html: string, text: string): number {
  return html.split(text).length - 1;
}

/** The markup alone: the data block, the stylesheet and the script cut out. */
function markup(html: string): string {
  return html
    .replace(/<script\b[^>]*>.*?<\/script>/gs, "")
    .replace(/<style>.*?<\/style>/gs, "")
    .replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, "");
}

function hostileReport(): SuiteReport {
  return {
    kind: "replay",
    target: HOSTILE_TEXT,
    results: [
      {
        id: `octoai/${HOSTILE_TEXT}`,
        severity: "required",
        rationale: HOSTILE_TEXT,
        outcome: "fail",
        expected: "<!-- a comment that never ends",
        got: HOSTILE_TEXT,
        diff: `- ${HOSTILE_TEXT}`,
        note: "]]></script><script>alert(2)</script>",
        durationMs: 1,
      },
    ],
  };
}

describe("toHTML", () => {
  it("is one complete page with its own style and script", () => {
    const html = toHTML(parityReports(), { title: "Driver parity" });
    expect(html.startsWith('<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">')).toBe(true);
    expect(html.endsWith("</html>\n")).toBe(true);
    expect(html).toContain("<title>Driver parity</title>");
    expect(count(html, "<style>")).toBe(1);
    expect(count(html, "<script")).toBe(2);
    expect(count(html, "</script>")).toBe(2);
  });

  it("draws one row per case and one column per driver, each cell marked with its outcome", () => {
    const html = toHTML(parityReports());
    expect(count(html, '<th scope="col" data-column=')).toBe(4);
    expect(count(html, '<th scope="row">')).toBe(8);
    expect(count(html, 'data-outcome="pass"')).toBe(19);
    expect(count(html, 'data-outcome="fail"')).toBe(3);
    expect(count(html, 'data-outcome="no-evidence"')).toBe(1);
    expect(count(html, 'data-outcome="skip"')).toBe(1);
    // The driver that never started has a column with nothing in it.
    expect(count(html, 'data-outcome="absent"')).toBe(8);
    expect(html).toContain('<span>✗ fail</span><span class="sev">recommended</span>');
    expect(html).toContain('<span>? no evidence</span><span class="sev">required</span>');
    expect(html).toContain("<span>– skipped</span>");
    expect(count(html, "≠ differs")).toBe(5);
  });

  it("offers each dialect once as a filter, from replay ids and check targets alike", () => {
    const html = toHTML([...sampleReports(), ...parityReports()]);
    const dialects = [...html.matchAll(/name="dialect" value="(\d+)" checked> ([^<]+)<\/label>/g)].map((match) => [
      match[1],
      match[2],
    ]);
    expect(dialects).toEqual([
      ["0", "octoai"],
      ["1", "gradient"],
      ["2", "predictionguard"],
    ]);
    expect(html).toContain('<h2 id="matrix-replay">Replayed fixtures</h2>');
    expect(html).toContain('<h2 id="matrix-check">Live checks</h2>');
    // The check suite's column takes the dialect of its target, `gradient at http://...`.
    const checkRow = /<tr><th scope="row"><code>envelope\.id<\/code>.*?<\/tr>/.exec(html)?.[0];
    expect(checkRow).toContain('data-dialect="1"');
  });

  it("totals the run and each suite, as the other reports count them", () => {
    const html = toHTML(parityReports());
    const header = /<header class="page-header">.*?<\/header>/s.exec(html)?.[0] ?? "";
    expect(header).toContain("4 suites · 24 cases");
    expect(header).toContain("Failed: 1 target unusable, 2 required cases failed, 1 required case without evidence");
    expect(header).toContain('<li class="count-pass"><b>19</b> passed</li>');
    expect(header).toContain('<li class="count-fail"><b>3</b> failed (2 required)</li>');
    expect(header).toContain('<li class="count-no-evidence"><b>1</b> without evidence (1 required)</li>');
    expect(header).toContain('<li class="count-skip"><b>1</b> skipped</li>');
    expect(header).toContain('<li class="count-fail"><b>1</b> unusable target</li>');
    const python =
      /<li class="suite-card">\n<h3><span class="kind">replay<\/span><code>python<\/code>.*?<\/li>\n<\/ul>/s.exec(
        html,
      )?.[0];
    expect(python).toContain("<b>5</b> passed");
    expect(python).toContain("<b>3</b> failed (2 required)");
    expect(toHTML([])).toContain("Passed: every required case passed");
  });

  it("writes text from a backend or driver as text, in the markup and in the data", () => {
    const html = toHTML([hostileReport()], { title: HOSTILE_TEXT });
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<!--");
    expect(html).not.toContain("<script>alert");
    expect(count(html, "</script>")).toBe(2);
    expect(html).toContain("<title>&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;</title>");
    expect(html).toContain("<code>&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;</code>");
    const [result] = detailsData(html).suites[0]?.results ?? [];
    expect(result?.id).toBe(`octoai/${HOSTILE_TEXT}`);
    expect(result?.got).toEqual({ text: HOSTILE_TEXT });
    expect(result?.note).toEqual({ text: "]]></script><script>alert(2)</script>" });
  });

  it("puts no name from a report in an attribute", () => {
    const attributes = [...markup(toHTML([hostileReport(), ...parityReports()])).matchAll(/<[^>]*>/g)].join("");
    expect(attributes).not.toMatch(/onerror|alert|src|python|gradient|octoai/);
  });

  it("refers to nothing outside the page", () => {
    const html = toHTML([...sampleReports(), ...parityReports()]);
    // The check suite's target is a URL; it may show as text, but never in a tag.
    expect(html).toContain("gradient at http://127.0.0.1:8080/gradient");
    for (const tag of markup(html).match(/<[^>]*>/g) ?? []) expect(tag).not.toMatch(/https?:|\/\/|src=|href=|srcset=/);
    expect(markup(html)).not.toMatch(/<(link|img|iframe|object|embed|base|form|audio|video)\b/);
    for (const code of [REPORT_STYLE, REPORT_SCRIPT]) {
      expect(code).not.toMatch(
        /https?:|url\(|@import|fetch\(|XMLHttpRequest|import\(|\.src\b|innerHTML|insertAdjacentHTML/,
      );
    }
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; `);
  });

  it("lets the browser run exactly its own style and script", () => {
    const html = toHTML(parityReports());
    const policy = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? "";
    const sha256 = (text: string) => createHash("sha256").update(text).digest("base64");
    const style = /<style>(.*?)<\/style>/s.exec(html)?.[1] ?? "";
    const script = /<script>(.*?)<\/script>/s.exec(html)?.[1] ?? "";
    expect(policy).toContain(`style-src 'sha256-${sha256(style)}'`);
    expect(policy).toContain(`script-src 'sha256-${sha256(script)}'`);
  });

  it("cuts a very long value for display, keeping its full length", () => {
    const data = detailsData(toHTML(parityReports()));
    const crlf = data.suites[1]?.results.find((result) => result.id === "predictionguard/hw-crlf-framing");
    expect(crlf?.got?.text).toHaveLength(5_000);
    expect(crlf?.got?.shown).toBe(5_000);
    expect(crlf?.got?.length).toBe(LONG_GOT_LENGTH);
  });

  it("shows control characters as escapes, as the text report does", () => {
    const report: SuiteReport = {
      kind: "check",
      target: "octoai at http://host\u001b[2J",
      results: [
        { id: "a", severity: "required", rationale: "r", outcome: "fail", got: "\u001b[31mred\u0000", durationMs: 0 },
      ],
    };
    const html = toHTML([report]);
    expect(html).not.toContain("\u001b");
    expect(html).not.toContain("\u0000");
    expect(html).toContain("<code>octoai at http://host\\u001b[2J</code>");
    expect(detailsData(html).suites[0]?.results[0]?.got?.text).toBe("\\u001b[31mred\\u0000");
  });

  it("shows why a suite was unusable, also when no suite ran a case", () => {
    const unusable: SuiteReport = {
      kind: "check",
      target: "octoai at http://x",
      unusable: "connection refused",
      results: [],
    };
    const html = toHTML([unusable]);
    expect(html).toContain('<p class="unusable"><strong>Unusable:</strong> connection refused</p>');
    expect(html).toContain("No cases ran.");
    expect(html).toContain("Failed: 1 target unusable");
    expect(toHTML([])).toContain("No suites ran.");
  });

  it("keeps both results of an id a suite reports twice", () => {
    const [suite] = sampleReports();
    const twice = { ...(suite as SuiteReport), results: [suite?.results[0], suite?.results[0]] } as SuiteReport;
    expect(count(toHTML([twice]), '<th scope="row"><code>envelope.id</code>')).toBe(2);
  });

  it("says when it was generated only when told, so that one report always renders alike", () => {
    expect(toHTML(sampleReports())).toBe(toHTML(sampleReports()));
    expect(toHTML(sampleReports())).not.toContain("generated");
    expect(toHTML(sampleReports(), { generatedAt: new Date("2026-12-01T12:34:56Z") })).toContain(
      "generated 2026-12-01 12:34 UTC",
    );
  });
});
