import type { Logger } from "../log.js";

/**
 * An `onLoadProgress` callback that logs nothing while the load is quick, and after `quietMs` a line
 * each time the load passes another 10 %.
 */
export function loadProgressLogger(
  log: Logger,
  label: string,
  { quietMs = 1000, now = () => performance.now() }: { quietMs?: number; now?: () => number } = {},
): (fraction: number) => void {
  const started = now();
  let shown = -1;
  return (fraction) => {
    if (now() - started < quietMs) return;
    const tenth = Math.floor(Math.min(Math.max(fraction, 0), 1) * 10);
    if (tenth <= shown) return;
    shown = tenth;
    log("info", `loading ${label}: ${tenth * 10}%`);
  };
}
