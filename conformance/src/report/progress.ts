import { truncate, visible } from "./text.js";

export interface Progress {
  update(done: number, total: number, current: string): void;
  /** Clears the line so that whatever is printed next starts on a clean one. */
  done(): void;
}

// Carriage return, then erase the whole line (CSI 2 K): a shorter line must not leave the tail of a longer one.
const rewriteLine = "\r\u001b[2K";
const silent: Progress = { update() {}, done() {} };

/**
 * One status line, rewritten in place on a TTY, such as `check gradient  12/31  envelope.id`.
 * Off a TTY it writes nothing at all: CI logs and redirected output would otherwise fill with one line per case.
 */
export function createProgress(stream: NodeJS.WriteStream, label: string): Progress {
  if (stream.isTTY !== true) return silent;
  let shown = "";
  let finished = false;
  return {
    update(done, total, current) {
      if (finished) return;
      const line = fitToTerminal(`${label}  ${done}/${total}  ${visible(current, false)}`, stream.columns);
      if (line === shown) return;
      shown = line;
      stream.write(rewriteLine + line);
    },
    done() {
      if (finished) return;
      finished = true;
      if (shown !== "") stream.write(rewriteLine);
    },
  };
}

// A line that wraps can no longer be rewritten with \r, so stay one column short of the edge.
function fitToTerminal(line: string, columns: number | undefined): string {
  return columns !== undefined && columns > 1 ? truncate(line, columns - 1) : line;
}
