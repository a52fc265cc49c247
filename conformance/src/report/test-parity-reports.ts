import type { CaseResult, SuiteReport } from "../results.js";

/** What a hostile backend or driver might put in a message, hoping a report writes it into its page as markup. */
export const HOSTILE_TEXT = "</script><img src=x onerror=alert(1)>";
/** Longer than the details panel shows of one value. */
export const LONG_GOT_LENGTH = 60_000;

const fixtures = [
  { id: "gradient/stream-basic", rationale: "The common case: a plain stream at temperature 0." },
  { id: "gradient/hw-truncated-stream", rationale: "A stream without data: [DONE] is cut short, not complete." },
  { id: "gradient/hw-429-retry-after", rationale: "retry-after tells a client how long to wait." },
  { id: "octoai/stream-basic", rationale: "The common case: a plain stream at temperature 0." },
  { id: "octoai/tool-call-parallel", rationale: "Parallel tool calls arrive as separate indexes." },
  { id: "octoai/hw-html-error-page", rationale: "An HTML error page is an error, never a completion." },
  { id: "predictionguard/stream-basic", rationale: "The common case: a plain stream at temperature 0." },
  { id: "predictionguard/hw-crlf-framing", rationale: "SSE allows CRLF line ends; they frame events like LF." },
] as const;

type FixtureId = (typeof fixtures)[number]["id"];

function results(overrides: Partial<Record<FixtureId, Partial<CaseResult>>>): CaseResult[] {
  return fixtures.map(({ id, rationale }, index) => ({
    id,
    severity: "required",
    rationale,
    outcome: "pass",
    durationMs: 3 + index,
    ...overrides[id],
  }));
}

/**
 * A replay of one fixture set by four drivers, as the driver protocol reports it: one that passes throughout, one
 * with failures that carry diffs (one of them hostile, one very long), one with skips and a case without evidence,
 * and one that never started.
 */
export function parityReports(): SuiteReport[] {
  return [
    { kind: "replay", target: "typescript", results: results({}) },
    {
      kind: "replay",
      target: "python",
      results: results({
        "gradient/hw-truncated-stream": {
          outcome: "fail",
          expected: 'error {"kind":"stream_error","stream_error_kind":"truncated"}',
          got: "a completion with finish_reason null and 14 chunks",
          diff: '  chunks: 14 of 14\n- error: stream_error (truncated)\n+ completion: {"finish_reason":null}',
        },
        "octoai/hw-html-error-page": {
          outcome: "fail",
          expected: 'error {"kind":"server","status":502,"message_includes":"Bad Gateway"}',
          got: HOSTILE_TEXT,
          diff: `- error: server 502\n+ ${HOSTILE_TEXT}`,
        },
        "predictionguard/hw-crlf-framing": {
          outcome: "fail",
          severity: "recommended",
          expected: "3 chunks",
          got: "x".repeat(LONG_GOT_LENGTH),
        },
      }),
    },
    {
      kind: "replay",
      target: "go",
      results: results({
        "octoai/tool-call-parallel": {
          outcome: "skip",
          severity: "recommended",
          note: "the driver does not support tools",
        },
        "gradient/hw-429-retry-after": {
          outcome: "no-evidence",
          expected: "the error the SDK raised",
          got: "the driver answered nothing within 30 s",
        },
      }),
    },
    {
      kind: "replay",
      target: "rust",
      unusable: "the driver exited with status 127 before its hello: sh: 1: chatwire-rust-driver: not found",
      results: [],
    },
  ];
}
