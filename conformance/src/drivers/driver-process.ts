import { type ChildProcess, spawn } from "node:child_process";
import { BoundedTail, type LinePiece, LineSplitter } from "./line-splitter.js";

/** What happened next on a driver's stdout, or to the driver itself. */
export type ProcessEvent =
  | LinePiece
  | { kind: "exit"; code: number | null; signal: NodeJS.Signals | null; error?: string }
  | { kind: "timeout" };

/** Bounds on what the runner holds of a driver's output. */
const MAX_LINE_BYTES = 16 * 1024 * 1024;
const MAX_STDERR_BYTES = 64 * 1024;
// After the process exits, how long its stdout may take to deliver what it wrote before exiting.
const DRAIN_AFTER_EXIT_MS = 250;

/**
 * One run of a driver command (`sh -c`), in a process group of its own so that stopping it stops
 * whatever the shell started. Lines on stdout and its exit are queued as events in order; stderr
 * keeps its last 64 KiB.
 */
export class DriverProcess {
  readonly stderr = new BoundedTail(MAX_STDERR_BYTES);
  /** Whether any line came from this process (a hello is allowed only as the first). */
  linesSeen = 0;
  private readonly child: ChildProcess;
  private readonly events: ProcessEvent[] = [];
  private wake: (() => void) | undefined;
  private exited: ProcessEvent | undefined;
  private readonly exitPromise: Promise<void>;

  constructor(command: string, env: NodeJS.ProcessEnv) {
    this.child = spawn("sh", ["-c", command], { stdio: ["pipe", "pipe", "pipe"], env, detached: true });
    const lines = new LineSplitter(MAX_LINE_BYTES);
    this.child.stdout?.on("data", (bytes: Buffer) => {
      for (const piece of lines.push(bytes)) this.enqueue(piece);
      // Lines wait in the pipe, not in memory, until the runner reads the one it holds.
      if (this.events.length > 0 && !this.hasExited) this.child.stdout?.pause();
    });
    this.child.stderr?.on("data", (bytes: Buffer) => this.stderr.push(bytes));
    // A driver that died while a case was written to it: the exit event says so, not an EPIPE.
    this.child.stdin?.on("error", () => undefined);
    const stdoutEnded = new Promise<void>((resolve) => {
      if (!this.child.stdout) resolve();
      this.child.stdout?.on("close", resolve);
    });
    this.exitPromise = new Promise<void>((resolve) => {
      const finish = (event: ProcessEvent) => {
        if (this.exited) return;
        this.exited = event;
        // Nothing more can be written: let what is left in the pipe arrive before the exit.
        this.child.stdout?.resume();
        // Lines the driver wrote just before it exited come first.
        void Promise.race([stdoutEnded, sleep(DRAIN_AFTER_EXIT_MS)]).then(() => {
          this.enqueue(event);
          resolve();
        });
      };
      this.child.on("exit", (code, signal) => finish({ kind: "exit", code, signal }));
      this.child.on("error", (error) => finish({ kind: "exit", code: null, signal: null, error: error.message }));
    });
  }

  get hasExited(): boolean {
    return this.exited !== undefined;
  }

  write(line: string): void {
    if (!this.hasExited) this.child.stdin?.write(`${line}\n`);
  }

  /** The next event, or a timeout event after `ms`. */
  async next(ms: number): Promise<ProcessEvent> {
    const deadline = performance.now() + ms;
    for (;;) {
      const event = this.events.shift();
      if (event) return event;
      this.child.stdout?.resume();
      const left = deadline - performance.now();
      if (left <= 0) return { kind: "timeout" };
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /** SIGTERM to the group, then SIGKILL after `graceMs`; resolves once the process is gone (or 1 s after SIGKILL). */
  async stop(graceMs: number): Promise<void> {
    if (this.hasExited) return this.exitPromise;
    this.signal("SIGTERM");
    if (await settlesWithin(this.exitPromise, graceMs)) return;
    this.signal("SIGKILL");
    await settlesWithin(this.exitPromise, 1000);
  }

  /** Ends stdin, which tells a driver there are no more cases, and waits `ms` for it to exit before stopping it. */
  async close(ms: number, graceMs: number): Promise<void> {
    this.child.stdin?.end();
    if (await settlesWithin(this.exitPromise, ms)) return;
    await this.stop(graceMs);
  }

  private signal(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is gone already (or never formed): the process itself is the one left to stop.
      this.child.kill(signal);
    }
  }

  private enqueue(event: ProcessEvent): void {
    this.events.push(event);
    this.wake?.();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

async function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true as const), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
