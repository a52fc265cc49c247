#!/usr/bin/env node
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { DialectId } from "@chatwire/core";
import { type CheckOptions, runChecks } from "./check/index.js";
import { DIALECT_IDS, isDialectId } from "./dialect-wire.js";
import { loadFixtures, PACKAGE_DIR } from "./fixture.js";
import { recordFixtures } from "./record/record.js";
import { readRecordingCases } from "./record/recording-cases.js";
import { dialectBaseURL, ReferenceServerMissingError, startReferenceBackend } from "./reference-backend.js";
import { replayFixtures } from "./replay/replay.js";
import { createProgress, formatReport, shouldUseColor, toJSON, toJUnit } from "./report/index.js";
import { requiredPassed, type SuiteReport } from "./results.js";

const USAGE = `chatwire-conformance <command>

  all                 start the reference server on its generated model, check all three
                      dialects against it and replay every fixture against every SDK
  check --dialect D --base-url URL [--api-key K] [--model M]
                      run the live checks against a backend; --base-url as the SDKs take it
                      (the dialect's chat path is appended)
  replay [--dialect D] [--fixtures DIR]
                      replay the recorded fixtures against the chatwire SDKs
  record --dialect D [--base-url URL --api-key K] [--cases FILE] [--out DIR]
                      record fixtures from a backend (the reference server when no --base-url)

  every command:      [--json] (report as JSON on stdout)  [--junit FILE] (JUnit XML)
  D is one of ${DIALECT_IDS.join(", ")}. Exit code 0 only when every required case passes.`;

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
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    process.stderr.write(`chatwire-conformance: ${(error as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
})();

type OnProgress = (done: number, total: number, current: string) => void;

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
async function withProgress<T>(label: string, work: (onProgress: OnProgress) => Promise<T>): Promise<T> {
  const bar = values.json ? undefined : createProgress(process.stderr, label);
  try {
    return await work((done, total, current) => bar?.update(done, total, current));
  } finally {
    bar?.done();
  }
}

function checkDialect(options: Omit<CheckOptions, "onProgress">): Promise<SuiteReport> {
  return withProgress(`check ${options.dialect}`, (onProgress) => runChecks({ ...options, onProgress }));
}

async function check(): Promise<SuiteReport[]> {
  const dialect = requiredDialect();
  const baseURL = values["base-url"];
  if (!baseURL) throw new UsageError("--base-url is required (e.g. http://127.0.0.1:8080/gradient).");
  return [await checkDialect({ dialect, baseURL, apiKey: values["api-key"], model: values.model })];
}

async function replay(): Promise<SuiteReport[]> {
  const dialect = optionalDialect();
  const fixtures = loadFixtures(values.fixtures).filter((fixture) => !dialect || fixture.dialect === dialect);
  if (fixtures.length === 0) throw new UsageError(`no fixtures found${dialect ? ` for ${dialect}` : ""}.`);
  return withProgress("replay", (onProgress) => replayFixtures(fixtures, { onProgress }));
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
  process.stdout.write(
    values.json
      ? `${toJSON(reports)}\n`
      : formatReport(reports, {
          color: shouldUseColor(process.stdout),
          ...(process.stdout.columns !== undefined && { width: process.stdout.columns }),
        }),
  );
  process.exitCode = requiredPassed(reports) ? 0 : 1;
}

const COMMANDS: Record<string, () => Promise<SuiteReport[] | undefined>> = { all, check, replay, record };

async function main(): Promise<void> {
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const run = COMMANDS[command];
  if (!run) throw new UsageError(`unknown command "${command}".`);
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}".`);
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
