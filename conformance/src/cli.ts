#!/usr/bin/env node
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { DialectId } from "@chatwire/core";
import { type CheckOptions, runChecks } from "./check/index.js";
import { DIALECT_IDS, isDialectId } from "./dialect-wire.js";
import { replayWithCommands } from "./drivers/replay-with-commands.js";
import { TYPESCRIPT_DRIVER_NAME } from "./drivers/typescript-driver.js";
import { loadFixtures, PACKAGE_DIR } from "./fixture.js";
import { recordFixtures } from "./record/record.js";
import { readRecordingCases } from "./record/recording-cases.js";
import { dialectBaseURL, ReferenceServerMissingError, startReferenceBackend } from "./reference-backend.js";
import { toHTML } from "./report/html.js";
import { createProgress, formatReport, shouldUseColor, toJSON, toJUnit } from "./report/index.js";
import { exitCode, type SuiteReport } from "./results.js";
import { serveFixturesCommand } from "./serve/serve-command.js";

const USAGE = `chatwire-conformance <command>

  all                 start the reference server on its generated model, check all three
                      dialects against it and replay every fixture against every SDK
  check --dialect D --base-url URL [--api-key K] [--model M] [--timeout T] [--deadline T]
                      run the live checks against a backend; --base-url as the SDKs take it
                      (the dialect's chat path is appended); --timeout for each request
                      (default 30s), --deadline for the whole run (default 10m); T as 30, 30s,
                      500ms or 10m
  replay [--dialect D] [--fixtures DIR] [--driver CMD]... [--timeout T]
                      replay the recorded fixtures against SDKs: by default the chatwire
                      TypeScript SDKs in process; each --driver is a program of any language
                      speaking driver-protocol.schema.json on stdin/stdout, run with sh -c
                      (e.g. "python3 -m chatwire_driver predictionguard"), fed from a fixture
                      server started for the run; --driver typescript names the in-process one
                      beside others. --timeout bounds each case (default 10s)
  serve-fixtures [--port N] [--host H] [--dialect D] [--fixtures DIR]
                      serve the fixtures over HTTP, each case at its own base URL (listed on
                      start), until SIGINT or SIGTERM; port 0 (the default) picks a free one
  record --dialect D [--base-url URL --api-key K] [--cases FILE] [--out DIR]
                      record fixtures from a backend (the reference server when no --base-url)

  all, check, replay: [--json] (report as JSON on stdout)  [--junit FILE] (JUnit XML)
                      [--html FILE] (one self-contained page, a matrix of cases × suites)
  D is one of ${DIALECT_IDS.join(", ")}.
  Exit code: 0 every required case passed; 1 a required case failed or had no evidence;
  2 the arguments are wrong; 3 a backend or a driver could not be used at all (unreachable,
  refused, hanging; a driver that exits on every case).`;

class UsageError extends Error {}

const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        dialect: { type: "string" },
        "base-url": { type: "string" },
        "api-key": { type: "string" },
        model: { type: "string" },
        cases: { type: "string" },
        out: { type: "string" },
        fixtures: { type: "string" },
        json: { type: "boolean" },
        junit: { type: "string" },
        html: { type: "string" },
        driver: { type: "string", multiple: true },
        port: { type: "string" },
        host: { type: "string" },
        timeout: { type: "string" },
        deadline: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    process.stderr.write(`chatwire-conformance: ${(error as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
})();

type OnProgress = (done: number, total: number, current: string) => void;
type OnProbe = (label: string | undefined) => void;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** `--timeout 30`, `30s`, `500ms`, `10m` in milliseconds (a bare number is seconds); undefined when not given. */
function duration(option: "timeout" | "deadline"): number | undefined {
  const text = values[option];
  if (text === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  const ms = match ? Number(match[1]) * (UNITS[match[2] ?? "s"] ?? 1000) : Number.NaN;
  if (!(ms > 0))
    throw new UsageError(`--${option} must be a positive duration such as 30, 30s, 500ms or 10m, got "${text}".`);
  return ms;
}

function optionalDialect(): DialectId | undefined {
  const dialect = values.dialect;
  if (dialect === undefined) return undefined;
  if (!isDialectId(dialect))
    throw new UsageError(`--dialect must be one of ${DIALECT_IDS.join(", ")}, got "${dialect}".`);
  return dialect;
}

function requiredDialect(): DialectId {
  const dialect = optionalDialect();
  if (dialect === undefined) throw new UsageError("--dialect is required.");
  return dialect;
}

/** Runs `work` with a progress line on stderr (none with --json, or off a terminal). */
async function withProgress<T>(
  label: string,
  work: (onProgress: OnProgress, onProbe: OnProbe) => Promise<T>,
): Promise<T> {
  const bar = values.json ? undefined : createProgress(process.stderr, label);
  try {
    return await work(
      (done, total, current) => bar?.update(done, total, current),
      (probe) => bar?.waiting(probe),
    );
  } finally {
    bar?.done();
  }
}

function checkDialect(options: Omit<CheckOptions, "onProgress" | "onProbe">): Promise<SuiteReport> {
  return withProgress(`check ${options.dialect}`, (onProgress, onProbe) =>
    runChecks({ ...options, timeoutMs: duration("timeout"), deadlineMs: duration("deadline"), onProgress, onProbe }),
  );
}

async function check(): Promise<SuiteReport[]> {
  const dialect = requiredDialect();
  const baseURL = values["base-url"];
  if (!baseURL) throw new UsageError("--base-url is required (e.g. http://127.0.0.1:8080/gradient).");
  // Wrong durations are usage errors before anything is sent.
  duration("timeout");
  duration("deadline");
  return [await checkDialect({ dialect, baseURL, apiKey: values["api-key"], model: values.model })];
}

function selectedFixtures() {
  const dialect = optionalDialect();
  const fixtures = loadFixtures(values.fixtures).filter((fixture) => !dialect || fixture.dialect === dialect);
  if (fixtures.length === 0) throw new UsageError(`no fixtures found${dialect ? ` for ${dialect}` : ""}.`);
  return fixtures;
}

function driverCommands(): string[] {
  const commands = values.driver ?? [TYPESCRIPT_DRIVER_NAME];
  if (commands.some((command) => command.trim() === "")) {
    throw new UsageError(
      `--driver needs a command, e.g. --driver "python3 -m chatwire_driver predictionguard" (or --driver ${TYPESCRIPT_DRIVER_NAME}).`,
    );
  }
  return commands;
}

async function replay(): Promise<SuiteReport[]> {
  const commands = driverCommands();
  const timeoutMs = duration("timeout");
  const fixtures = selectedFixtures();
  return withProgress("replay", (onProgress) =>
    replayWithCommands(fixtures, commands, { onProgress, ...(timeoutMs !== undefined && { timeoutMs }) }),
  );
}

function port(): number | undefined {
  const text = values.port;
  if (text === undefined) return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= 0 && value <= 65_535)) {
    throw new UsageError(`--port must be a whole number from 0 to 65535 (0 picks a free port), got "${text}".`);
  }
  return value;
}

/** Serves the fixtures until SIGINT or SIGTERM. */
async function serveFixtures(): Promise<undefined> {
  const options = { host: values.host, port: port(), fixtures: selectedFixtures() };
  const served = await serveFixturesCommand({ ...options, write: (line) => process.stdout.write(`${line}\n`) });
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await served.close();
  return undefined;
}

async function record(): Promise<undefined> {
  const dialect = requiredDialect();
  const cases = readRecordingCases(values.cases ?? join(PACKAGE_DIR, "cases", `${dialect}.json`));
  const outDir = values.out ?? "fixtures";
  const baseURL = values["base-url"];
  const reference = baseURL ? undefined : await startReferenceBackend({ purpose: "`record` without --base-url" });
  try {
    const target = reference
      ? {
          baseURL: dialectBaseURL(reference.url, dialect),
          apiKey: reference.apiKey,
          backend: `chatwire reference server, model ${reference.modelId}`,
        }
      : { baseURL: baseURL as string, apiKey: values["api-key"], backend: baseURL as string };
    const fixtures = await withProgress(`record ${dialect}`, (onProgress) =>
      recordFixtures({ dialect, ...target, cases, outDir, onProgress }),
    );
    process.stdout.write(`recorded ${fixtures.length} fixtures into ${join(outDir, dialect)}\n`);
    return undefined;
  } finally {
    await reference?.stop();
  }
}

/** The whole suite against the reference server: what `npm start` runs. */
async function all(): Promise<SuiteReport[]> {
  process.stderr.write("starting the reference server on its generated model…\n");
  const reference = await startReferenceBackend({ purpose: "`all`" });
  const reports: SuiteReport[] = [];
  try {
    process.stderr.write(`reference server at ${reference.url}, model ${reference.modelId}\n`);
    for (const dialect of DIALECT_IDS) {
      const baseURL = dialectBaseURL(reference.url, dialect);
      reports.push(await checkDialect({ dialect, baseURL, apiKey: reference.apiKey, model: reference.modelId }));
    }
  } finally {
    await reference.stop();
  }
  reports.push(...(await replay()));
  return reports;
}

function output(reports: SuiteReport[]): void {
  if (values.junit) writeFileSync(values.junit, toJUnit(reports));
  if (values.html) writeFileSync(values.html, toHTML(reports));
  process.stdout.write(
    values.json
      ? `${toJSON(reports)}\n`
      : formatReport(reports, {
          color: shouldUseColor(process.stdout),
          ...(process.stdout.columns !== undefined && { width: process.stdout.columns }),
        }),
  );
  process.exitCode = exitCode(reports);
  for (const report of reports) {
    if (report.unusable !== undefined)
      process.stderr.write(`chatwire-conformance: ${report.target}: ${report.unusable}\n`);
  }
}

const COMMANDS: Record<string, () => Promise<SuiteReport[] | undefined>> = {
  all,
  check,
  replay,
  record,
  "serve-fixtures": serveFixtures,
};

/** Options only some commands take: given to another, they are a mistake to say out loud, not to ignore. */
const OPTION_COMMANDS: Record<string, readonly string[]> = {
  driver: ["replay", "all"],
  html: ["all", "check", "replay"],
  port: ["serve-fixtures"],
  host: ["serve-fixtures"],
};

function refuseMisplacedOptions(command: string): void {
  for (const [option, commands] of Object.entries(OPTION_COMMANDS)) {
    if (values[option as keyof typeof values] !== undefined && !commands.includes(command)) {
      throw new UsageError(`--${option} applies to ${commands.join(" and ")}, not to ${command}.`);
    }
  }
}

async function main(): Promise<void> {
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const run = COMMANDS[command];
  if (!run) throw new UsageError(`unknown command "${command}".`);
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}".`);
  refuseMisplacedOptions(command);
  const reports = await run();
  if (reports) output(reports);
}

main().catch((error: unknown) => {
  // Only `all` and `record` without --base-url load the reference server (an optional peer).
  if (error instanceof ReferenceServerMissingError) {
    process.stderr.write(`chatwire-conformance: ${error.message}\n`);
    process.exit(2);
  }
  if (error instanceof UsageError) {
    process.stderr.write(`chatwire-conformance: ${error.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  process.stderr.write(`chatwire-conformance: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
