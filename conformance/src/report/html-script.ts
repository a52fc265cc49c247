/**
 * The HTML report's only script: the details panel and the filters. It reads the cases from the page's
 * `application/json` block and writes them with textContent alone, so nothing a backend or driver sent is ever
 * parsed as markup. The page's Content-Security-Policy allows this exact text by its hash and nothing else.
 */
export const REPORT_SCRIPT = `
(() => {
  "use strict";
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const outcomeLabels = { pass: "\\u2713 pass", fail: "\\u2717 fail", skip: "\\u2013 skipped", "no-evidence": "? no evidence" };

  const panel = document.getElementById("details");
  const panelTitle = document.getElementById("details-title");
  const panelSuite = document.getElementById("details-suite");
  const panelBadges = document.getElementById("details-badges");
  const panelFields = document.getElementById("details-fields");
  let openCell = null;

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function diffLines(text) {
    return text.split("\\n").map((line) => {
      const kind = line.startsWith("+") ? " diff-add" : line.startsWith("-") ? " diff-remove" : "";
      /* A block per line keeps empty lines visible and copies as lines. */
      return element("span", "diff-line" + kind, line === "" ? " " : line);
    });
  }

  function addField(label, field, layout) {
    if (field === undefined) return;
    const value = element("dd");
    if (layout === "text") value.textContent = field.text;
    else {
      const pre = element("pre");
      if (layout === "diff") pre.append(...diffLines(field.text));
      else pre.textContent = field.text;
      value.append(pre);
    }
    if (field.length !== undefined) {
      value.append(element("p", "truncated",
        "Showing the first " + field.shown.toLocaleString("en-US") + " of " + field.length.toLocaleString("en-US") +
        " characters; the JSON report (--json) keeps all of them."));
    }
    panelFields.append(element("dt", "", label), value);
  }

  function showDetails(cell) {
    const suite = data.suites[Number(cell.dataset.suite)];
    const result = suite && suite.results[Number(cell.dataset.case)];
    if (!result) return;
    panelTitle.textContent = result.id;
    panelSuite.textContent = suite.kind + " \\u00b7 " + suite.target;
    panelBadges.replaceChildren(
      element("span", "outcome-" + result.outcome, outcomeLabels[result.outcome]),
      element("span", "severity severity-" + result.severity, result.severity),
      element("span", "", result.duration),
    );
    panelFields.replaceChildren();
    addField("Why it matters", result.rationale, "text");
    addField("Impact", result.impact, "text");
    addField(result.outcome === "no-evidence" ? "Needs" : "Expected", result.expected, "pre");
    addField("Got", result.got, "pre");
    addField("Diff", result.diff, "diff");
    addField(result.outcome === "skip" ? "Skipped because" : "Note", result.note, "text");
    if (openCell) openCell.setAttribute("aria-pressed", "false");
    openCell = cell;
    cell.setAttribute("aria-pressed", "true");
    panel.hidden = false;
    document.body.classList.add("details-open");
    panelTitle.focus();
  }

  function closeDetails() {
    if (panel.hidden) return;
    panel.hidden = true;
    document.body.classList.remove("details-open");
    if (openCell) {
      openCell.setAttribute("aria-pressed", "false");
      openCell.focus();
      openCell = null;
    }
  }

  document.addEventListener("click", (event) => {
    const cell = event.target.closest("button.cell");
    if (cell) showDetails(cell);
  });
  document.getElementById("details-close").addEventListener("click", closeDetails);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeDetails();
  });

  const filters = document.getElementById("filters");
  const search = document.getElementById("filter-search");
  const differing = document.getElementById("filter-differs");
  const status = document.getElementById("filter-status");

  function checked(name) {
    return new Set(Array.from(filters.querySelectorAll("input[name=" + name + "]:checked"), (input) => input.value));
  }

  function applyFilters() {
    const dialects = checked("dialect");
    const outcomes = checked("outcome");
    const query = search.value.trim().toLowerCase();
    let shown = 0;
    let total = 0;
    for (const section of document.querySelectorAll(".matrix-section")) {
      const table = section.querySelector("table.matrix");
      const columnShown = [];
      let shownHere = 0;
      for (const row of table.tBodies[0].rows) {
        let matches = false;
        for (const slot of row.querySelectorAll("td[data-column]")) {
          const inDialect = dialects.has(slot.dataset.dialect);
          const absent = slot.dataset.outcome === "absent";
          const match = inDialect && !absent && outcomes.has(slot.dataset.outcome);
          /* A case a suite did not run has no outcome to filter by: it shows while its row does. */
          slot.classList.toggle("filtered-out", !match && !(absent && inDialect));
          if (inDialect) columnShown[Number(slot.dataset.column)] = true;
          if (match) matches = true;
        }
        const id = row.querySelector("th code").textContent.toLowerCase();
        row.hidden = !matches || (differing.checked && row.dataset.differs !== "true") || !id.includes(query);
        total++;
        if (!row.hidden) shownHere++;
      }
      for (const slot of table.querySelectorAll("[data-column]")) {
        slot.hidden = !columnShown[Number(slot.dataset.column)];
      }
      section.querySelector(".empty-filtered").hidden = shownHere > 0 || table.tBodies[0].rows.length === 0;
      shown += shownHere;
    }
    status.textContent = "Showing " + shown + " of " + total + " cases";
  }

  filters.addEventListener("input", applyFilters);
  filters.hidden = false;
  applyFilters();
})();
`;
