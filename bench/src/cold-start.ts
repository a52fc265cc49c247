/**
 * Suite "cold start": how long a fresh node process takes to import a client package and create a
 * client, the cost every serverless cold start and CLI run pays. Timed from outside, per process,
 * hyperfine-style, against an empty module as the baseline for node's own start-up.
 */
import { fileURLToPath } from "node:url";
import { type ColdScript, timeColdStarts } from "./cold-spawn.js";
import { type Figure, type Ratio, type Row, type RunOptions, type SuiteReport, summarize } from "./harness.js";

const SUITE = "cold-start";

// A completion served by an injected fetch, so the "first call" scripts time the client, not a network.
const FIRST_CALL = `const completion = JSON.stringify({ id: "c", object: "chat.completion", created: 1, model: "m", choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop", logprobs: null }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });
const fetch = async () => new Response(completion, { headers: { "content-type": "application/json" } });
const request = { model: "m", messages: [{ role: "user", content: "hi" }] };`;

// The apiKey is given so neither client looks for an environment variable, or throws without one.
const SCRIPTS = {
  "bare node": "",
  chatwire: `import { Gradient } from "@chatwire/gradient"; new Gradient({ apiKey: "x" });`,
  openai: `import OpenAI from "openai"; new OpenAI({ apiKey: "x" });`,
  // chatwire loads zod/mini and the spec's validators with the first validated call: this is where it pays.
  "chatwire, first call": `import { Gradient } from "@chatwire/gradient"; ${FIRST_CALL}
await new Gradient({ apiKey: "x", baseURL: "http://127.0.0.1:9", fetch }).chat.completions.create(request);`,
  "openai, first call": `import OpenAI from "openai"; ${FIRST_CALL}
await new OpenAI({ apiKey: "x", baseURL: "http://127.0.0.1:9", fetch }).chat.completions.create(request);`,
} as const satisfies Record<string, string>;

type ScriptName = keyof typeof SCRIPTS;

/** The bench package, so that the bare specifiers resolve to its own dependencies. */
const BENCH_PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));

export async function runColdStart(options: RunOptions): Promise<SuiteReport> {
  const scripts: ColdScript[] = Object.entries(SCRIPTS).map(([name, source]) => ({ name, source }));
  const samples = timeColdStarts(scripts, {
    cwd: BENCH_PACKAGE_DIR,
    warmupRuns: options.quick ? 1 : 2,
    runs: options.quick ? 2 : 20,
  });
  const raw = (name: ScriptName): number[] => samples.get(name) ?? [];
  const bare = summarize(raw("bare node")).median;
  const ownCost = (name: ScriptName): Figure => summarize(raw(name).map((ms) => ms - bare));
  const whole = { chatwire: summarize(raw("chatwire")), openai: summarize(raw("openai")) };
  const own = { chatwire: ownCost("chatwire"), openai: ownCost("openai") };
  const firstCall = { chatwire: ownCost("chatwire, first call"), openai: ownCost("openai, first call") };

  const row = (caseName: string, contender: string, figure: Figure): Row => ({
    suite: SUITE,
    case: caseName,
    contender,
    unit: "ms",
    figure,
  });
  const rows: Row[] = [
    row("import + new client, whole process", "bare node", summarize(raw("bare node"))),
    row("import + new client, whole process", "chatwire", whole.chatwire),
    row("import + new client, whole process", "openai", whole.openai),
    row("import + new client, minus bare node", "chatwire", own.chatwire),
    row("import + new client, minus bare node", "openai", own.openai),
    row("… + first call (strict validation), minus bare node", "chatwire", firstCall.chatwire),
    row("… + first call (strict validation), minus bare node", "openai", firstCall.openai),
  ];
  const ratios: Ratio[] = [
    {
      suite: SUITE,
      name: "chatwire / openai import + client (minus bare node)",
      value: own.chatwire.median / own.openai.median,
      target: { op: "<=", value: 0.5 },
    },
    {
      suite: SUITE,
      name: "chatwire / openai import + client (whole process)",
      value: whole.chatwire.median / whole.openai.median,
    },
    {
      suite: SUITE,
      name: "chatwire / openai import + client + first call (minus bare node)",
      value: firstCall.chatwire.median / firstCall.openai.median,
      target: { op: "<=", value: 1 },
    },
  ];
  return {
    rows,
    ratios,
    notes: [
      `${SUITE}: wall-clock of spawning node --input-type=module -e "<import; new Client({ apiKey })>" from the bench package, ${options.quick ? 1 : 2} warm-up and ${options.quick ? 2 : 20} measured runs each, the contenders alternating in rotating order; "bare node" runs an empty module with the same flags, and its median is subtracted for the "minus bare node" rows.`,
    ],
  };
}
