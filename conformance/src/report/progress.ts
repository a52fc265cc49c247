import { truncate, visible } from "./text.js";

export interface Progress {
  update(done: number, total: number, current: string): void;
  /**
   * What the run is waiting on now, e.g. a probe's request, shown after the case with the seconds it
   * has taken so far (ticking once a second); undefined when the answer is in.
   */
  waiting(what: string | undefined): void;
  /** Clears the line so that whatever is printed next starts on a clean one. */
  done(): void;
}

// Carriage return, then erase the whole line (CSI 2 K): a shorter line must not leave the tail of a longer one.
const rewriteLine = "\r\u001b[2K";
const silent: Progress = { update() {}, waiting() {}, done() {} };

export interface ProgressClock {
  now(): number;
  /** Calls `tick` every `ms` until the returned function is called. */
  every(ms: number, tick: () => void): () => void;
}

const realClock: ProgressClock = {
  now: () => performance.now(),
  every(ms, tick) {
    const timer = setInterval(tick, ms);
    // The ticking line must never keep the process alive on its own.
    timer.unref();
    return () => clearInterval(timer);
  },
};

/**
 * One status line, rewritten in place on a TTY, such as
 * `check gradient  12/31  envelope.id  · waiting on the logprobs stream 3 s`.
 * Off a TTY it writes nothing at all: CI logs and redirected output would otherwise fill with one line per case.
 */
export function createProgress(stream: NodeJS.WriteStream, label: string, clock: ProgressClock = realClock): Progress {
  if (stream.isTTY !== true) return silent;
  let shown = "";
  let finished = false;
  let position = label;
  let wait: { what: string; since: number; stop: () => void } | undefined;
  const render = () => {
    if (finished) return;
    const waited = wait
      ? `  · waiting on ${visible(wait.what, false)} ${Math.floor((clock.now() - wait.since) / 1000)} s`
      : "";
    const line = fitToTerminal(`${position}${waited}`, stream.columns);
    if (line === shown) return;
    shown = line;
    stream.write(rewriteLine + line);
  };
  const stopWaiting = () => {
    wait?.stop();
    wait = undefined;
  };
  return {
    update(done, total, current) {
      position = `${label}  ${done}/${total}  ${visible(current, false)}`;
      render();
    },
    waiting(what) {
      stopWaiting();
      if (what !== undefined && !finished) wait = { what, since: clock.now(), stop: clock.every(1000, render) };
      render();
    },
    done() {
      if (finished) return;
      stopWaiting();
      finished = true;
      if (shown !== "") stream.write(rewriteLine);
    },
  };
}

// A line that wraps can no longer be rewritten with \r, so stay one column short of the edge.
function fitToTerminal(line: string, columns: number | undefined): string {
  return columns !== undefined && columns > 1 ? truncate(line, columns - 1) : line;
}
