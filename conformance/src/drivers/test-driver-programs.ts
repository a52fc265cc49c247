import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Fixture } from "../fixture.js";
import { caseId } from "../serve/case-address.js";
import type { HelloMessage, ResultMessage } from "./protocol.js";

/** What the throwaway driver does with a case, by id; every other case it answers as the fixture expects. */
type Misbehaviour =
  | "crash"
  | "hang"
  | "hang-ignoring-sigterm"
  | "garbage"
  | "bad-schema"
  | "wrong-id"
  | "hello-again"
  | "skip";

export interface TestDriverScript {
  hello?: HelloMessage;
  answers: Record<string, ResultMessage>;
  misbehave?: Record<string, Misbehaviour>;
  /** Exit at once when stdin closes (default), or linger. */
  lingerAfterStdin?: boolean;
}

// Plain Node, no dependencies: the protocol as a program in any language would speak it.
const PROGRAM = `
import { appendFileSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
const script = JSON.parse(readFileSync(process.argv[2], "utf8"));
const log = process.argv[3];
const say = (message) => process.stdout.write(JSON.stringify(message) + "\\n");
if (script.hello) say(script.hello);
const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  appendFileSync(log, line + "\\n");
  const message = JSON.parse(line);
  const id = message.id;
  switch (script.misbehave?.[id]) {
    case "crash":
      process.stderr.write("driver: the SDK blew up on " + id + "\\n");
      process.exit(3);
    case "hang":
      return;
    case "hang-ignoring-sigterm":
      process.on("SIGTERM", () => process.stderr.write("driver: ignoring SIGTERM\\n"));
      return;
    case "garbage":
      process.stdout.write("Traceback (most recent call last): not a protocol line\\n");
      return;
    case "bad-schema":
      say({ type: "result", id, chunks: "not an array" });
      return;
    case "wrong-id":
      say({ type: "result", id: id + "-other" });
      return;
    case "hello-again":
      say({ type: "hello", driver: "again" });
      return;
    case "skip":
      say({ type: "result", id, skipped: "the SDK has no such method" });
      return;
  }
  say(script.answers[id] ?? { type: "result", id, skipped: "no answer scripted" });
});
lines.on("close", () => {
  if (script.lingerAfterStdin) setInterval(() => {}, 1000);
  else process.exit(0);
});
`;

export interface TestDriver {
  /** The command line to start it with. */
  command: string;
  /** Every line it was sent, across restarts. */
  received(): unknown[];
}

/** Writes a driver program and its script to a temp dir. */
export function writeTestDriver(script: TestDriverScript): TestDriver {
  const dir = mkdtempSync(join(tmpdir(), "chatwire-driver-"));
  writeFileSync(join(dir, "driver.mjs"), PROGRAM);
  writeFileSync(join(dir, "script.json"), JSON.stringify(script));
  const log = join(dir, "received.jsonl");
  writeFileSync(log, "");
  return {
    command: `"${process.execPath}" "${join(dir, "driver.mjs")}" "${join(dir, "script.json")}" "${log}"`,
    received: () =>
      readFileSync(log, "utf8")
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as unknown),
  };
}

/** The result a correct SDK without class names (any language but TypeScript) gives for a fixture. */
function correctAnswer(fixture: Fixture): ResultMessage {
  const { chunks, completion, error } = fixture.expect;
  return {
    type: "result",
    id: caseId(fixture),
    ...(chunks && { chunks }),
    ...(completion && !error && { completion }),
    ...(error && {
      error: {
        kind: error.kind,
        ...(error.stream_error_kind && { stream_error_kind: error.stream_error_kind }),
        ...(error.status !== undefined && { status: error.status }),
        message: `the backend said: ${error.message_includes ?? "nothing"}`,
        ...(error.retry_after_ms !== undefined && { retry_after_ms: error.retry_after_ms }),
        class: "SomeError",
      },
    }),
  };
}

/** Answers for every fixture as a correct SDK gives them. */
export function correctAnswers(fixtures: readonly Fixture[]): Record<string, ResultMessage> {
  return Object.fromEntries(fixtures.map((fixture) => [caseId(fixture), correctAnswer(fixture)]));
}
