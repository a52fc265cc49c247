export { CHECKS, runChecks } from "./check/index.js";
export { chatURL } from "./dialect-wire.js";
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
export { REPLAY_BASE_URL, replayFixtures } from "./replay/replay.js";
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
