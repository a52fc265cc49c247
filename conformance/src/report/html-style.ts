/**
 * The HTML report's stylesheet. Outcome colours are dark text on a light tint (each pair above 7:1 contrast), and
 * every cell also carries a symbol and a word, so the matrix reads in greyscale, in print and for colour-blind readers.
 */
export const REPORT_STYLE = `
:root {
  color-scheme: light;
  --ink: #1f2328;
  --muted: #57606a;
  --line: #d0d7de;
  --paper: #ffffff;
  --wash: #f6f8fa;
  --accent: #0b4f9c;
  --pass-ink: #0a4a1f; --pass-tint: #dcf3e3; --pass-bar: #2da44e;
  --fail-ink: #7d0d17; --fail-tint: #fde2e4; --fail-bar: #cf222e;
  --none-ink: #4b1577; --none-tint: #eee3fb; --none-bar: #8250df;
  --skip-ink: #5c3b00; --skip-tint: #fbefd5; --skip-bar: #bf8700;
  --absent-ink: #57606a;
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body {
  margin: 0;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink);
  background: var(--wash);
}
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
h1, h2, h3 { margin: 0; line-height: 1.25; }
.page-header { background: var(--paper); border-bottom: 1px solid var(--line); padding: 20px 24px 16px; }
.page-header h1 { font-size: 22px; }
.meta { color: var(--muted); margin: 4px 0 0; }
.verdict { display: inline-flex; gap: 8px; align-items: center; margin: 12px 0 0; padding: 6px 12px; border-radius: 6px; font-weight: 600; }
.verdict-pass { background: var(--pass-tint); color: var(--pass-ink); }
.verdict-fail { background: var(--fail-tint); color: var(--fail-ink); }
.counts { display: flex; flex-wrap: wrap; gap: 6px 14px; list-style: none; margin: 10px 0 0; padding: 0; }
.counts li { white-space: nowrap; }
.counts b { font-variant-numeric: tabular-nums; }
.count-pass { color: var(--pass-ink); }
.count-fail { color: var(--fail-ink); }
.count-no-evidence { color: var(--none-ink); }
.count-skip { color: var(--skip-ink); }
.count-zero { color: var(--muted); }
.suites { padding: 16px 24px 0; }
.suites h2, .matrix-section h2 { font-size: 16px; margin-bottom: 10px; }
.suite-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 12px; list-style: none; margin: 0; padding: 0; }
.suite-card { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; min-width: 0; }
.suite-card h3 { font-size: 14px; overflow-wrap: anywhere; }
.suite-card .counts { margin-top: 6px; font-size: 13px; }
.suite-card.is-unusable { border-color: var(--fail-bar); }
.kind { display: inline-block; margin-right: 6px; padding: 0 6px; border-radius: 4px; background: var(--wash); border: 1px solid var(--line); color: var(--muted); font-size: 11px; font-weight: 600; text-transform: uppercase; letter-spacing: .04em; vertical-align: 1px; }
.bar { display: block; width: 100%; height: 8px; margin-top: 8px; border-radius: 4px; background: var(--wash); }
.bar .seg-pass { fill: var(--pass-bar); }
.bar .seg-fail { fill: var(--fail-bar); }
.bar .seg-no-evidence { fill: var(--none-bar); }
.bar .seg-skip { fill: var(--skip-bar); }
.unusable { margin: 8px 0 0; padding: 8px 10px; border-radius: 6px; background: var(--fail-tint); color: var(--fail-ink); overflow-wrap: anywhere; white-space: pre-wrap; }
.filters { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; gap: 10px 22px; align-items: center; margin: 16px 0 0; padding: 10px 24px; background: var(--paper); border-top: 1px solid var(--line); border-bottom: 1px solid var(--line); }
.filters fieldset { display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: center; border: 0; margin: 0; padding: 0; }
.filters legend { float: left; margin-right: 8px; font-weight: 600; color: var(--muted); }
.filters label { display: inline-flex; gap: 4px; align-items: center; cursor: pointer; white-space: nowrap; }
.filters input[type="search"] { font: inherit; padding: 3px 8px; border: 1px solid var(--line); border-radius: 6px; min-width: 14em; }
.filter-status { margin: 0; color: var(--muted); }
main { padding: 0 24px 40px; }
.matrix-section { margin-top: 20px; }
.matrix-scroll { overflow: auto; max-width: 100%; background: var(--paper); border: 1px solid var(--line); border-radius: 8px; }
.matrix { border-collapse: separate; border-spacing: 0; min-width: 100%; }
.matrix th, .matrix td { padding: 4px 6px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: middle; }
.matrix thead th { position: sticky; top: 0; background: var(--paper); z-index: 1; font-weight: 600; vertical-align: bottom; min-width: 9em; max-width: 16em; }
.matrix thead th code { display: block; overflow-wrap: anywhere; font-weight: 600; }
.matrix thead .column-counts { display: block; margin-top: 2px; font-weight: 400; font-size: 12px; color: var(--muted); white-space: nowrap; }
.matrix thead .column-unusable { display: block; margin-top: 2px; color: var(--fail-ink); font-weight: 600; font-size: 12px; }
.matrix tbody th { font-weight: 400; position: sticky; left: 0; background: var(--paper); min-width: 16em; max-width: 30em; }
.matrix tbody th code { overflow-wrap: anywhere; }
.matrix tbody tr:hover th, .matrix tbody tr:hover td { background: var(--wash); }
.severity { display: inline-block; margin-left: 6px; padding: 0 5px; border-radius: 4px; font-size: 11px; border: 1px solid var(--line); color: var(--muted); }
.severity-required { color: var(--ink); border-color: var(--muted); font-weight: 600; }
.differs { display: inline-block; margin-left: 6px; padding: 0 5px; border-radius: 4px; font-size: 11px; background: #fff4c2; color: #4d3800; font-weight: 600; }
.cell { display: flex; width: 100%; min-width: 8em; align-items: baseline; justify-content: space-between; gap: 6px; padding: 4px 8px; border: 1px solid transparent; border-radius: 5px; font: inherit; font-weight: 600; text-align: left; cursor: pointer; }
.cell:hover { border-color: currentColor; }
.cell:focus-visible, .filters input:focus-visible, .details button:focus-visible { outline: 3px solid var(--accent); outline-offset: 1px; }
.cell[aria-pressed="true"] { border-color: currentColor; box-shadow: inset 0 0 0 1px currentColor; }
.cell > span { white-space: nowrap; }
.cell .sev { font-weight: 400; font-size: 11px; opacity: .9; }
.outcome-pass { background: var(--pass-tint); color: var(--pass-ink); }
.outcome-fail { background: var(--fail-tint); color: var(--fail-ink); }
.outcome-no-evidence { background: var(--none-tint); color: var(--none-ink); }
.outcome-skip { background: var(--skip-tint); color: var(--skip-ink); }
.cell-absent { display: block; padding: 4px 8px; color: var(--absent-ink); }
.filtered-out > * { visibility: hidden; }
.empty { margin: 0; padding: 16px; color: var(--muted); }
.details { position: fixed; top: 0; right: 0; bottom: 0; z-index: 3; width: min(40rem, 100%); overflow: auto; padding: 18px 22px 28px; background: var(--paper); border-left: 1px solid var(--line); box-shadow: -8px 0 24px rgba(31, 35, 40, .15); }
.details-head { display: flex; gap: 12px; align-items: flex-start; justify-content: space-between; }
.details h2 { font-size: 17px; overflow-wrap: anywhere; }
.details-suite { margin: 4px 0 0; color: var(--muted); overflow-wrap: anywhere; }
.details-badges { display: flex; flex-wrap: wrap; gap: 6px; margin: 10px 0 0; }
.details-badges span { padding: 2px 8px; border-radius: 5px; font-weight: 600; font-size: 12px; }
.details button.close { flex: none; font: inherit; padding: 4px 10px; border: 1px solid var(--line); border-radius: 6px; background: var(--wash); cursor: pointer; }
.details dl { margin: 14px 0 0; }
.details dt { margin-top: 12px; font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.details dd { margin: 4px 0 0; overflow-wrap: anywhere; }
.details pre { margin: 0; padding: 8px 10px; max-height: 24em; overflow: auto; background: var(--wash); border: 1px solid var(--line); border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; }
.details .diff-add { display: block; background: var(--pass-tint); color: var(--pass-ink); }
.details .diff-remove { display: block; background: var(--fail-tint); color: var(--fail-ink); }
.details .truncated { margin: 4px 0 0; color: var(--muted); font-size: 12px; }
/* On a wide screen the open panel takes its width from the page rather than covering the matrix's right side. */
@media (min-width: 1000px) {
  body.details-open { padding-right: 40rem; }
}
@media print {
  .filters, .details button.close { display: none; }
  .details { position: static; width: auto; box-shadow: none; border: 0; }
  body.details-open { padding-right: 0; }
}
`;
