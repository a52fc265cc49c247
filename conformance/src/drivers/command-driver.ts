import { createRequire } from "node:module";
import { delimiter, join } from "node:path";
import type { DialectId } from "@chatwire/core";
import { PACKAGE_DIR } from "../fixture.js";
import { DriverProcess, type ProcessEvent } from "./driver-process.js";
import type { CaseMessage, Driver, HelloMessage, ResultMessage } from "./protocol.js";
import { readDriverLine } from "./protocol-lines.js";

/** A case the driver did not answer as the protocol says: what was expected of it and what it did. */
export class DriverFailure extends Error {
  constructor(
    readonly expected: string,
    readonly got: string,
  ) {
    super(`${expected}; got ${got}`);
    this.name = "DriverFailure";
  }
}

export interface CommandDriverOptions {
  /** A shell command line, run with `sh -c` once (and again after a crash, a hang or a bad line). */
  command: string;
  /** Added to the environment the driver starts with. */
  env?: NodeJS.ProcessEnv;
  /** How long a driver stopped with SIGTERM has before SIGKILL (default 2 s). */
  killGraceMs?: number;
  /** How long a driver has to exit once its stdin is closed at the end (default 5 s). */
  exitTimeoutMs?: number;
}

/** After this many crashes in a row with no result between them, the rest of the cases are not sent. */
const MAX_CRASHES_IN_A_ROW = 3;
/** How much of the driver's stderr a failure quotes (all 64 KiB stay in memory). */
const STDERR_QUOTE_CHARS = 4000;

/** Where the package's Python driver kit lives, for `python3 -m chatwire_driver` from an npm install. */
export const PYTHON_DRIVER_DIR = join(PACKAGE_DIR, "python");
/** The dialect table (`@chatwire/spec`'s dialects.json), for drivers that read dialect facts. */
export const DIALECTS_JSON_PATH = createRequire(import.meta.url).resolve("@chatwire/spec/dialects.json");

/** The environment a driver starts with: the runner's, the package's Python kit on PYTHONPATH, and where dialects.json is. */
export function driverEnvironment(
  extra: NodeJS.ProcessEnv = {},
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const pythonPath = [PYTHON_DRIVER_DIR, base.PYTHONPATH].filter((part) => part !== undefined && part !== "");
  return { ...base, PYTHONPATH: pythonPath.join(delimiter), CHATWIRE_DIALECTS_JSON: DIALECTS_JSON_PATH, ...extra };
}

/**
 * A driver program of any language, speaking driver-protocol.schema.json on its stdin and stdout.
 * It is started on the first case. A driver that exits, does not answer in time (stopped: SIGTERM,
 * then SIGKILL), or prints anything but a protocol line fails the case in flight with the reason
 * and is started afresh for the next one.
 */
export function createCommandDriver(options: CommandDriverOptions): Driver {
  const env = driverEnvironment(options.env);
  const killGraceMs = options.killGraceMs ?? 2000;
  let current: DriverProcess | undefined;
  let hello: HelloMessage | undefined;
  let crashesInARow = 0;
  let lastCrash = "";
  let answered = false;

  const restart = async (running: DriverProcess) => {
    if (current === running) current = undefined;
    await running.stop(killGraceMs);
  };

  const failWith = async (running: DriverProcess, expected: string, got: string): Promise<never> => {
    await restart(running);
    throw new DriverFailure(expected, withStderr(got, running));
  };

  return {
    get name() {
      return hello?.driver ?? options.command;
    },
    get dialects(): readonly DialectId[] | undefined {
      return hello?.dialects;
    },
    get unusable(): string | undefined {
      if (answered || crashesInARow < MAX_CRASHES_IN_A_ROW) return undefined;
      return `the driver \`${options.command}\` exited on each of the first ${crashesInARow} cases without answering one (last: ${lastCrash})`;
    },
    async run(message: CaseMessage): Promise<ResultMessage> {
      const expected = `a result line for ${message.id} within ${message.timeout_ms} ms`;
      if (crashesInARow >= MAX_CRASHES_IN_A_ROW) {
        throw new DriverFailure(
          expected,
          `not sent: the driver exited on ${crashesInARow} cases in a row without a result (last: ${lastCrash})`,
        );
      }
      // A driver that exited between cases (none was in flight) is simply started again.
      if (current?.hasExited) current = undefined;
      current ??= new DriverProcess(options.command, env);
      const running = current;
      running.write(JSON.stringify(message));
      const deadline = performance.now() + message.timeout_ms;
      for (;;) {
        const event = await running.next(deadline - performance.now());
        if (event.kind === "timeout") {
          return failWith(
            running,
            expected,
            `no result within ${message.timeout_ms} ms: the driver was stopped (SIGTERM, SIGKILL after ${killGraceMs} ms) and is started again for the next case`,
          );
        }
        if (event.kind === "exit") {
          if (current === running) current = undefined;
          crashesInARow += 1;
          lastCrash = withStderr(describeExit(event), running);
          throw new DriverFailure(expected, withStderr(`${describeExit(event)} while the case was in flight`, running));
        }
        if (event.kind === "overlong") {
          return failWith(running, expected, `a line of more than ${event.bytes} bytes (the limit is 16 MiB)`);
        }
        running.linesSeen += 1;
        const line = readDriverLine(event.text);
        if (!line.ok) return failWith(running, expected, line.problem);
        if (line.message.type === "hello") {
          if (running.linesSeen > 1)
            return failWith(running, expected, "a second hello line (a hello comes first, once)");
          hello = line.message;
          continue;
        }
        if (line.message.id !== message.id) {
          return failWith(running, expected, `a result for ${JSON.stringify(line.message.id)} instead`);
        }
        crashesInARow = 0;
        answered = true;
        if (hello?.dialects && !hello.dialects.includes(message.dialect)) {
          // Sent before the hello said so: the driver's answer to a dialect it does not speak is no verdict.
          return { type: "result", id: message.id, skipped: speaksOnly(hello.dialects) };
        }
        return line.message;
      }
    },
    async close() {
      const running = current;
      current = undefined;
      await running?.close(options.exitTimeoutMs ?? 5000, killGraceMs);
    },
  };
}

/** The skip reason for a case of a dialect the driver's hello does not list. */
export function speaksOnly(dialects: readonly DialectId[]): string {
  return `the driver speaks only ${dialects.length === 0 ? "no dialect" : dialects.join(", ")} (its hello says so)`;
}

function describeExit(event: Extract<ProcessEvent, { kind: "exit" }>): string {
  if (event.error !== undefined) return `the driver could not be started (${event.error})`;
  if (event.signal !== null) return `the driver was ended by ${event.signal}`;
  return `the driver exited with code ${event.code}`;
}

function withStderr(got: string, running: DriverProcess): string {
  const stderr = running.stderr.text(STDERR_QUOTE_CHARS);
  return stderr === "" ? `${got} (nothing on stderr)` : `${got}; the end of its stderr:\n${stderr}`;
}
