import type { Fixture } from "../fixture.js";
import { type DriverReplayOptions, replayWithDrivers } from "../replay/replay.js";
import type { SuiteReport } from "../results.js";
import { startFixtureServer } from "../serve/fixture-server.js";
import { createCommandDriver } from "./command-driver.js";
import type { Driver } from "./protocol.js";
import { createTypeScriptDriver, TYPESCRIPT_DRIVER_NAME } from "./typescript-driver.js";

export interface CommandReplayOptions extends Omit<DriverReplayOptions, "baseURL"> {
  /** How long a driver stopped with SIGTERM has before SIGKILL (default 2 s). */
  killGraceMs?: number;
}

/**
 * `replay --driver`: each command a driver program (`typescript` the in-process one), all fed from one
 * fixture server started for the run, each in a suite of its own. Drivers and server are stopped at
 * the end, whatever happened.
 */
export async function replayWithCommands(
  fixtures: readonly Fixture[],
  commands: readonly string[],
  options: CommandReplayOptions = {},
): Promise<SuiteReport[]> {
  const { killGraceMs, ...replayOptions } = options;
  const drivers: Driver[] = commands.map((command) =>
    command === TYPESCRIPT_DRIVER_NAME
      ? createTypeScriptDriver({ fixtures })
      : createCommandDriver({ command, ...(killGraceMs !== undefined && { killGraceMs }) }),
  );
  const server = commands.some((command) => command !== TYPESCRIPT_DRIVER_NAME)
    ? await startFixtureServer({ fixtures })
    : undefined;
  try {
    return await replayWithDrivers(fixtures, drivers, {
      ...replayOptions,
      ...(server && { baseURL: (fixture: Fixture) => server.baseURL(fixture) }),
    });
  } finally {
    await Promise.allSettled(drivers.map((driver) => driver.close()));
    await server?.close();
  }
}
