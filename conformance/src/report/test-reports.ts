import type { SuiteReport } from "../results.js";

/** One suite with each kind of row the formatters treat differently, and one that passes throughout. */
export function sampleReports(): SuiteReport[] {
  return [
    {
      kind: "check",
      target: "gradient at http://127.0.0.1:8080/gradient",
      results: [
        {
          id: "envelope.id",
          severity: "required",
          rationale: "Clients key a stream's chunks by id.",
          outcome: "pass",
          note: "id looked like chatcmpl-…",
          durationMs: 12,
        },
        {
          id: "framing.done-last",
          severity: "required",
          rationale: "Clients stop reading at [DONE]; without it they wait for the socket to close.",
          outcome: "fail",
          expected: "data: [DONE] as the last event",
          got: "stream ended after 14 events without data: [DONE]",
          diff: '  data: {"choices":[]}\n- data: [DONE]\n+ <connection closed>',
          durationMs: 3,
        },
        {
          id: "usage.final-chunk",
          severity: "recommended",
          rationale: "stream_options.include_usage asks for a last chunk with usage.",
          outcome: "fail",
          expected: "a last chunk with usage and empty choices",
          got: "no usage chunk",
          durationMs: 1521,
        },
        {
          id: "tools.parallel",
          severity: "recommended",
          rationale: "Parallel tool calls arrive as separate indexes.",
          outcome: "skip",
          note: "backend does not advertise tools",
          durationMs: 0,
        },
      ],
    },
    {
      kind: "replay",
      target: "@chatwire/octoai",
      results: [
        {
          id: "octoai/basic-stream",
          severity: "required",
          rationale: "The common case.",
          outcome: "pass",
          durationMs: 4,
        },
      ],
    },
  ];
}
