import { type Logger, streamLogger } from "../log.js";

/** The CLI's log: timestamped, leveled lines, info on stdout and warnings and errors on stderr. */
export function cliLogger(
  stdout: (text: string) => void = (text) => process.stdout.write(text),
  stderr: (text: string) => void = (text) => process.stderr.write(text),
  now?: () => Date,
): Logger {
  const info = streamLogger(stdout, now);
  const problems = streamLogger(stderr, now);
  return (level, message) => (level === "info" ? info : problems)(level, message);
}
