export { CHECKS, runChecks } from "./check/index.js";
export { chatURL } from "./dialect-wire.js";
export {
  type CommandDriverOptions,
  createCommandDriver,
  DriverFailure,
  driverEnvironment,
} from "./drivers/command-driver.js";
export type { CaseMessage, Driver, HelloMessage, ProtocolError, ResultMessage } from "./drivers/protocol.js";
export { type CommandReplayOptions, replayWithCommands } from "./drivers/replay-with-commands.js";
export { type SpeakProtocolOptions, speakDriverProtocol } from "./drivers/speak-protocol.js";
export {
  createTypeScriptDriver,
  TYPESCRIPT_DRIVER_NAME,
  type TypeScriptDriverOptions,
} from "./drivers/typescript-driver.js";
export {
  type BodyChunk,
  chunkBytes,
  FIXTURES_DIR,
  type Fixture,
  type FixtureExpectation,
  fixtureProblems,
  loadFixtures,
  readFixture,
} from "./fixture.js";
export { type RecordOptions, recordFixtures } from "./record/record.js";
export { type RecordingCase, readRecordingCases } from "./record/recording-cases.js";
export { startReferenceBackend } from "./reference-backend.js";
export {
  caseMessage,
  DEFAULT_CASE_TIMEOUT_MS,
  type DriverReplayOptions,
  REPLAY_BASE_URL,
  type ReplayOptions,
  replayFixtures,
  replayWithDrivers,
} from "./replay/replay.js";
export { type HTMLOptions, toHTML } from "./report/html.js";
export { formatReport, toJSON, toJUnit } from "./report/index.js";
export {
  type CaseResult,
  exitCode,
  type Impact,
  type Outcome,
  requiredPassed,
  type Severity,
  type SuiteReport,
} from "./results.js";
export { type FixtureServer, type FixtureServerOptions, startFixtureServer } from "./serve/fixture-server.js";
