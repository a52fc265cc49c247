import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BrowserContext, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { toHTML } from "./html.js";
import { HOSTILE_TEXT, LONG_GOT_LENGTH, parityReports } from "./test-parity-reports.js";

const chromiumPath = "/usr/bin/chromium";
const chromiumMissing = !existsSync(chromiumPath);
const inCI = process.env.CI !== undefined && !["", "0", "false"].includes(process.env.CI.toLowerCase());
// The page is served from a name that cannot resolve, so a request it makes can only reach the route below.
const reportURL = "http://conformance-report.invalid/";
const screenshotPath = fileURLToPath(new URL("../../../artifacts/conformance-report.png", import.meta.url));

if (chromiumMissing && !inCI) {
  console.warn(
    `Skipping the HTML report's browser test: ${chromiumPath} is missing. Run \`apt-get install chromium\`.`,
  );
}

describe.skipIf(chromiumMissing && !inCI)("the HTML report in Chromium", () => {
  const html = toHTML(parityReports(), { title: "Driver parity", generatedAt: new Date("2026-12-01T12:00:00Z") });
  let userDataDir: string;
  let context: BrowserContext;
  let page: Page;
  let requests: string[];
  let dialogs: string[];
  let errors: string[];

  beforeAll(async () => {
    if (chromiumMissing)
      throw new Error(`${chromiumPath} is missing and CI is set: install it (.ci/run does, with apt-get).`);
    userDataDir = mkdtempSync(join(tmpdir(), "conformance-report-chromium-"));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
      viewport: { width: 1440, height: 1000 },
    });
    // Well under the test's timeout, so that a cell the panel covers fails as such rather than as a timeout.
    context.setDefaultTimeout(10_000);
    await context.route("**/*", async (route) => {
      if (route.request().url() === reportURL) {
        await route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html });
        return;
      }
      requests.push(route.request().url());
      await route.abort("blockedbyclient");
    });
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    if (userDataDir !== undefined) rmSync(userDataDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    requests = [];
    dialogs = [];
    errors = [];
    page = await context.newPage();
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on("pageerror", (error) => errors.push(error.message));
    // A Content-Security-Policy violation (a hash that no longer matches the script, say) is logged as an error.
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    await page.goto(reportURL);
    await expect
      .poll(() => page.locator("#filter-status").textContent(), { timeout: 10_000 })
      .toBe("Showing 8 of 8 cases");
  });

  afterEach(async () => {
    await page.close();
    expect(requests, "requests the page made").toEqual([]);
    expect(dialogs, "dialogs the page opened").toEqual([]);
    expect(errors, "errors on the page").toEqual([]);
  });

  function row(caseId: string): Locator {
    return page.locator("tbody tr").filter({ has: page.locator("th code").getByText(caseId, { exact: true }) });
  }

  async function cell(caseId: string, suite: string): Promise<Locator> {
    const heads = await page.locator(".matrix thead th").allTextContents();
    const column = heads.findIndex((text) => text.startsWith(suite));
    expect(column, `column of ${suite}`).toBeGreaterThan(0);
    return row(caseId).locator("td, th").nth(column).locator("button.cell");
  }

  function field(label: string): Locator {
    return page.locator("#details-fields dt", { hasText: label }).locator("xpath=following-sibling::dd[1]");
  }

  async function visibleCaseIds(): Promise<string[]> {
    return page.locator("tbody tr:visible th code").allTextContents();
  }

  it("shows every suite's totals, and an unusable driver's reason", async () => {
    expect(await page.locator(".suite-card").count()).toBe(4);
    expect(await page.locator(".page-header .counts").textContent()).toContain("19 passed");
    expect(await page.locator(".suite-card", { hasText: "python" }).textContent()).toContain("3 failed (2 required)");
    expect(await page.locator(".suite-card.is-unusable").textContent()).toContain(
      "exited with status 127 before its hello",
    );
  });

  it("opens a failure's expected, got and diff from its cell, and closes on Escape", async () => {
    const failure = await cell("gradient/hw-truncated-stream", "python");
    expect(await failure.textContent()).toMatch(/fail/);
    await failure.click();
    expect(await page.locator("#details").isVisible()).toBe(true);
    expect(await page.locator("#details-title").textContent()).toBe("gradient/hw-truncated-stream");
    expect(await page.locator("#details-suite").textContent()).toBe("replay · python");
    expect(await field("Why it matters").textContent()).toBe(
      "A stream without data: [DONE] is cut short, not complete.",
    );
    expect(await field("Expected").textContent()).toBe('error {"kind":"stream_error","stream_error_kind":"truncated"}');
    expect(await field("Got").textContent()).toBe("a completion with finish_reason null and 14 chunks");
    expect(await field("Diff").locator(".diff-remove").textContent()).toBe("- error: stream_error (truncated)");
    expect(await field("Diff").locator(".diff-add").textContent()).toBe('+ completion: {"finish_reason":null}');

    await page.keyboard.press("Escape");
    expect(await page.locator("#details").isVisible()).toBe(false);
    expect(await failure.evaluate((element) => element === document.activeElement)).toBe(true);
  });

  it("shows a case without evidence and a skipped one with what they need and why", async () => {
    await (await cell("gradient/hw-429-retry-after", "go")).click();
    expect(await field("Needs").textContent()).toBe("the error the SDK raised");
    expect(await field("Got").textContent()).toBe("the driver answered nothing within 30 s");
    await (await cell("octoai/tool-call-parallel", "go")).click();
    expect(await page.locator("#details-title").textContent()).toBe("octoai/tool-call-parallel");
    expect(await field("Skipped because").textContent()).toBe("the driver does not support tools");
  });

  it("renders a hostile got as text, running nothing", async () => {
    await (await cell("octoai/hw-html-error-page", "python")).click();
    expect(await field("Got").textContent()).toBe(HOSTILE_TEXT);
    expect(await field("Diff").textContent()).toContain(HOSTILE_TEXT);
    expect(await page.locator("img").count()).toBe(0);
  });

  it("cuts a very long got, saying how long it is", async () => {
    await (await cell("predictionguard/hw-crlf-framing", "python")).click();
    expect((await field("Got").locator("pre").textContent())?.length).toBe(5_000);
    expect(await field("Got").textContent()).toContain(`of ${LONG_GOT_LENGTH.toLocaleString("en-US")} characters`);
  });

  it("hides the rows of a dialect that is unchecked, and cells of an outcome", async () => {
    await page.getByLabel("gradient", { exact: true }).uncheck();
    expect(await visibleCaseIds()).toEqual([
      "octoai/stream-basic",
      "octoai/tool-call-parallel",
      "octoai/hw-html-error-page",
      "predictionguard/stream-basic",
      "predictionguard/hw-crlf-framing",
    ]);
    expect(await page.locator("#filter-status").textContent()).toBe("Showing 5 of 8 cases");

    await page.getByLabel("gradient", { exact: true }).check();
    await page.locator('input[name="outcome"][value="pass"]').uncheck();
    expect(await visibleCaseIds()).toEqual([
      "gradient/hw-truncated-stream",
      "gradient/hw-429-retry-after",
      "octoai/tool-call-parallel",
      "octoai/hw-html-error-page",
      "predictionguard/hw-crlf-framing",
    ]);
    expect(await (await cell("gradient/hw-truncated-stream", "typescript")).isVisible()).toBe(false);
    expect(await (await cell("gradient/hw-truncated-stream", "python")).isVisible()).toBe(true);
  });

  it("narrows to the cases where drivers differ, and by id", async () => {
    await page.getByLabel("only cases where suites differ").check();
    expect(await visibleCaseIds()).not.toContain("octoai/stream-basic");
    expect(await page.locator("#filter-status").textContent()).toBe("Showing 5 of 8 cases");
    await page.getByLabel("only cases where suites differ").uncheck();
    await page.getByLabel("Filter cases by id").fill("stream-basic");
    expect(await visibleCaseIds()).toEqual([
      "gradient/stream-basic",
      "octoai/stream-basic",
      "predictionguard/stream-basic",
    ]);
  });

  it("saves a screenshot with a failure open, as the CI artefact", async () => {
    await (await cell("gradient/hw-truncated-stream", "python")).click();
    expect(await page.locator("#details").isVisible()).toBe(true);
    mkdirSync(dirname(screenshotPath), { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: true });
    expect(existsSync(screenshotPath)).toBe(true);
  });
});
