export type LogLevel = "info" | "warn" | "error";

/** Where the server's log lines go: one call per line, the level apart from the words. */
export type Logger = (level: LogLevel, message: string) => void;

/** Lines as `2026-12-01T08:45:34.123Z info message`, so they sort and grep by time and level. */
export function streamLogger(
  write: (text: string) => void = (text) => process.stderr.write(text),
  now: () => Date = () => new Date(),
): Logger {
  return (level, message) => write(`${now().toISOString()} ${level} ${message}\n`);
}
