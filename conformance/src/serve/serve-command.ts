import type { Fixture } from "../fixture.js";
import { caseId } from "./case-address.js";
import { startFixtureServer } from "./fixture-server.js";

export interface ServeFixturesOptions {
  fixtures: readonly Fixture[];
  host?: string | undefined;
  port?: number | undefined;
  /** Takes each line of output, without its newline. */
  write(line: string): void;
}

/**
 * `serve-fixtures`: starts the fixture server and writes its URL, then each case's id and base URL,
 * one line each, so a driver author can point an SDK at a case by hand.
 */
export async function serveFixturesCommand(options: ServeFixturesOptions): Promise<{ close(): Promise<void> }> {
  if (options.fixtures.length === 0) {
    throw new Error(
      "There are no fixtures to serve: the fixtures folder holds none, or none of the dialect asked for.",
    );
  }
  const server = await startFixtureServer({
    fixtures: options.fixtures,
    ...(options.host !== undefined && { host: options.host }),
    ...(options.port !== undefined && { port: options.port }),
  });
  options.write(
    `Serving ${options.fixtures.length} fixtures at ${server.url} (GET ${server.url}/ lists them as JSON). Each case's base URL, to give an SDK:`,
  );
  const width = Math.max(...options.fixtures.map((fixture) => caseId(fixture).length));
  for (const fixture of options.fixtures) options.write(`${caseId(fixture).padEnd(width)}  ${server.baseURL(fixture)}`);
  return { close: () => server.close() };
}
