/**
 * Robustness of the server under load and under hostile input, over real HTTP on 127.0.0.1:
 * a soak of concurrent streaming clients (some hanging up mid-stream), then a seeded fuzz of
 * random and mutated request bodies. Nothing here is shared with the other test files.
 *
 * CHATWIRE_SOAK_SECONDS sets the soak's length (default 30); CHATWIRE_TEST_LOG=1 prints the
 * server's request log and internal errors to stderr.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_MODEL_ID } from "./model/default-model.js";
import { seededRandom } from "./model/random.js";
import { startTestServer, type TestServer } from "./test-helpers.js";

const MODEL = DEFAULT_MODEL_ID;
const SOAK_SECONDS = Number(process.env.CHATWIRE_SOAK_SECONDS ?? 30);
const SOAK_CLIENTS = 64;
const FUZZ_CASES = 2000;
const FUZZ_CONCURRENCY = 8;
const MIB = 1024 * 1024;
const MEMORY_SLACK = 64 * MIB;

const ROUTES = {
  octoai: "/octoai/v1/chat/completions",
  predictionguard: "/predictionguard/chat/completions",
  gradient: "/gradient/v1/chat/completions",
} as const;
const SOAK_ROUTES = Object.values(ROUTES);
/** The fuzz also posts to the default route, which speaks the server's dialect (gradient here). */
const FUZZ_ROUTES = [...SOAK_ROUTES, "/v1/chat/completions"];
const WORDS = "the river ran past the old mill while the children sang about the sea and the north wind".split(" ");

class Rand {
  constructor(readonly next: () => number) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  words(count: number): string {
    return Array.from({ length: count }, () => this.pick(WORDS)).join(" ");
  }
}

/** A real GC: `global.gc` under --expose-gc, else one obtained by setting the V8 flag at run time. */
function findGc(): { gc: (() => void) | undefined; how: string } {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === "function") return { gc: exposed, how: "global.gc" };
  try {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as unknown;
    if (typeof gc === "function") return { gc: gc as () => void, how: "v8 --expose-gc set at run time" };
  } catch {
    // Fall through: no GC to force.
  }
  return { gc: undefined, how: "none" };
}

async function settledRss(gc: (() => void) | undefined): Promise<number> {
  for (let round = 0; round < 3; round++) {
    gc?.();
    await sleep(50);
  }
  return process.memoryUsage().rss;
}

/** The `data` of each server-sent event in `text` (a whole or partial stream). */
function eventData(text: string): string[] {
  const data: string[] = [];
  for (const block of text.split("\n\n")) {
    const lines = block
      .split("\n")
      .filter((line) => line.startsWith("data:"))
      .map((line) => line.slice(5).replace(/^ /, ""));
    if (lines.length > 0) data.push(lines.join("\n"));
  }
  return data;
}

function metricValue(text: string, name: string): number | undefined {
  const match = new RegExp(`^${name} (\\S+)$`, "m").exec(text);
  return match ? Number(match[1]) : undefined;
}

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    parallel: 8,
    maxQueue: 64,
    log: process.env.CHATWIRE_TEST_LOG ? (_level, line) => process.stderr.write(`${line}\n`) : () => {},
  });
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

/** Waits (boundedly) until no sequence is busy and nobody queues; returns the last /metrics text. */
async function idleMetrics(): Promise<{ text: string; active?: number; queued?: number }> {
  let text = "";
  for (let attempt = 0; attempt < 100; attempt++) {
    text = await (await fetch(`${server.url}/metrics`)).text();
    const active = metricValue(text, "chatwire_active_sequences");
    const queued = metricValue(text, "chatwire_queue_depth");
    if (active === 0 && queued === 0) return { text, active, queued };
    await sleep(50);
  }
  const active = metricValue(text, "chatwire_active_sequences");
  const queued = metricValue(text, "chatwire_queue_depth");
  return { text, ...(active !== undefined && { active }), ...(queued !== undefined && { queued }) };
}

function serverErrorCounters(metricsText: string): string[] {
  return metricsText.split("\n").filter((line) => /^chatwire_requests_total\{[^}]*status="5\d\d"/.test(line));
}

interface SoakStats {
  requests: number;
  completed: number;
  aborted: number;
  rateLimited: number;
  rateLimitedWithoutRetryAfter: number;
  serverErrors: number;
  otherStatuses: Record<string, number>;
  completedWithoutDone: number;
  errorEvents: number;
  badEvents: number;
  networkErrors: string[];
  chunks: number;
}

function soakRequest(rand: Rand, route: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: MODEL,
    messages: [
      ...(rand.chance(0.3) ? [{ role: "system", content: rand.words(6) }] : []),
      { role: "user", content: rand.words(rand.int(2, 24)) },
    ],
    stream: true,
    temperature: rand.chance(0.2) ? 0 : 0.5 + rand.next(),
    seed: rand.int(0, 1_000_000),
  };
  body[route === ROUTES.predictionguard && rand.chance(0.5) ? "max_completion_tokens" : "max_tokens"] = rand.int(
    16,
    128,
  );
  if (rand.chance(0.25)) body.n = 2;
  if (rand.chance(0.5)) body.stream_options = { include_usage: true };
  if (rand.chance(0.1)) body.stop = [rand.pick(WORDS)];
  return body;
}

async function soakClient(index: number, deadline: number, stats: SoakStats): Promise<void> {
  const rand = new Rand(seededRandom(1000 + index));
  const route = SOAK_ROUTES[index % SOAK_ROUTES.length] as string;
  // A quarter of the clients hang up after a few chunks of every stream.
  const hangsUp = index % 4 === 3;
  while (performance.now() < deadline) {
    const controller = new AbortController();
    const abortAfter = hangsUp ? rand.int(2, 6) : Number.POSITIVE_INFINITY;
    let response: Response;
    try {
      response = await fetch(`${server.url}${route}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(soakRequest(rand, route)),
        signal: controller.signal,
      });
    } catch (error) {
      stats.networkErrors.push(String(error));
      continue;
    }
    stats.requests += 1;
    if (response.status >= 500) {
      stats.serverErrors += 1;
      await response.text();
      continue;
    }
    if (response.status === 429) {
      if (response.headers.get("retry-after")) stats.rateLimited += 1;
      else stats.rateLimitedWithoutRetryAfter += 1;
      await response.text();
      await sleep(100);
      continue;
    }
    if (response.status !== 200 || !response.body) {
      stats.otherStatuses[response.status] = (stats.otherStatuses[response.status] ?? 0) + 1;
      await response.text();
      continue;
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let text = "";
    let seen = 0;
    let hungUp = false;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
        seen = text.split("\n\n").length - 1;
        if (seen >= abortAfter && !text.includes("data: [DONE]")) {
          hungUp = true;
          controller.abort();
          break;
        }
      }
    } catch (error) {
      if (!hungUp) stats.networkErrors.push(String(error));
    }
    if (hungUp) {
      stats.aborted += 1;
      await reader.cancel().catch(() => {});
      continue;
    }
    const events = eventData(text);
    stats.chunks += events.length;
    for (const data of events) {
      if (data === "[DONE]") continue;
      try {
        const chunk = JSON.parse(data) as Record<string, unknown>;
        if ("error" in chunk) stats.errorEvents += 1;
      } catch {
        stats.badEvents += 1;
      }
    }
    if (events.at(-1) === "[DONE]") stats.completed += 1;
    else stats.completedWithoutDone += 1;
  }
}

describe("soak: concurrent streaming clients", () => {
  it(
    `serves ${SOAK_CLIENTS} streaming clients for ${SOAK_SECONDS} s without 5xx, leaks or stuck sequences`,
    async () => {
      const { gc, how } = findGc();
      // Warm-up: every route, streamed and not, some hung up, so lazily made buffers exist before the baseline.
      const warmStats = emptyStats();
      await Promise.all(
        Array.from({ length: 16 }, (_, index) => soakClient(index, performance.now() + 1500, warmStats)),
      );
      await idleMetrics();
      const baseline = await settledRss(gc);

      const stats = emptyStats();
      const deadline = performance.now() + SOAK_SECONDS * 1000;
      const started = performance.now();
      await Promise.all(Array.from({ length: SOAK_CLIENTS }, (_, index) => soakClient(index, deadline, stats)));
      const elapsed = (performance.now() - started) / 1000;

      const idle = await idleMetrics();
      const after = await settledRss(gc);
      const report = {
        seconds: Number(elapsed.toFixed(1)),
        clients: SOAK_CLIENTS,
        ...stats,
        networkErrors: stats.networkErrors.length,
        firstNetworkErrors: stats.networkErrors.slice(0, 3),
        gc: how,
        rssBaselineMiB: Number((baseline / MIB).toFixed(1)),
        rssAfterMiB: Number((after / MIB).toFixed(1)),
        rssGrowthMiB: Number(((after - baseline) / MIB).toFixed(1)),
        warmUp: { requests: warmStats.requests, completed: warmStats.completed, aborted: warmStats.aborted },
      };
      console.log(`soak report: ${JSON.stringify(report)}`);

      expect(stats.requests).toBeGreaterThan(SOAK_CLIENTS);
      expect(stats.completed).toBeGreaterThan(0);
      expect(stats.aborted).toBeGreaterThan(0);
      expect(stats.serverErrors).toBe(0);
      expect(stats.rateLimitedWithoutRetryAfter).toBe(0);
      expect(stats.otherStatuses).toEqual({});
      expect(stats.completedWithoutDone).toBe(0);
      expect(stats.errorEvents).toBe(0);
      expect(stats.badEvents).toBe(0);
      expect(stats.networkErrors).toEqual([]);
      expect(idle.active).toBe(0);
      expect(idle.queued).toBe(0);
      expect(serverErrorCounters(idle.text)).toEqual([]);
      if (gc) expect(after).toBeLessThan(baseline + MEMORY_SLACK);
      else console.log("soak: no GC could be forced (run node with --expose-gc); the memory bound is not asserted");
    },
    (SOAK_SECONDS + 90) * 1000,
  );
});

function emptyStats(): SoakStats {
  return {
    requests: 0,
    completed: 0,
    aborted: 0,
    rateLimited: 0,
    rateLimitedWithoutRetryAfter: 0,
    serverErrors: 0,
    otherStatuses: {},
    completedWithoutDone: 0,
    errorEvents: 0,
    badEvents: 0,
    networkErrors: [],
    chunks: 0,
  };
}

// ---------------------------------------------------------------------------------------------
// Fuzz

interface FuzzCase {
  kind: string;
  route: string;
  contentType: string | undefined;
  body: string | Uint8Array<ArrayBuffer>;
}

/** A random JSON value, at most `depth` levels deep. */
function randomJson(rand: Rand, depth: number): unknown {
  const kind = rand.int(0, depth > 0 ? 7 : 4);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return rand.chance(0.5);
    case 2:
      return rand.pick([0, -1, 1, 2.5, -0.5, 1e9, -1e9, 1e308, -1e308, 2 ** 53, 4, 128, 129, 1e-9]);
    case 3:
      return rand.pick(["", "x", "chatwire-tiny", "user", "assistant", "\u0000", "\uD83D\uDE00", "é", "{"]);
    case 4:
      return rand.words(rand.int(0, 5));
    case 5:
    case 6:
      return Array.from({ length: rand.int(0, 4) }, () => randomJson(rand, depth - 1));
    default: {
      const object: Record<string, unknown> = {};
      const keys = ["model", "messages", "role", "content", "type", "stream", "n", "max_tokens", "text", "x", "0"];
      for (let i = rand.int(0, 4); i > 0; i--) object[rand.pick(keys)] = randomJson(rand, depth - 1);
      return object;
    }
  }
}

/** A valid request of the route's dialect, small enough to answer in a few milliseconds. */
function validRequest(rand: Rand, route: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: MODEL,
    messages: [{ role: "user", content: rand.words(rand.int(1, 12)) }],
    max_tokens: rand.int(1, 4),
  };
  if (rand.chance(0.3)) body.stream = true;
  if (rand.chance(0.2)) body.stream_options = { include_usage: rand.chance(0.5) };
  if (rand.chance(0.2)) body.n = rand.int(1, 3);
  if (rand.chance(0.3)) body.temperature = rand.next() * 2;
  if (rand.chance(0.2)) body.top_p = rand.next();
  if (rand.chance(0.2)) body.top_k = rand.int(1, 50);
  if (rand.chance(0.2)) body.seed = rand.int(0, 2 ** 31);
  if (rand.chance(0.15)) body.stop = rand.chance(0.5) ? rand.pick(WORDS) : [rand.pick(WORDS), "."];
  if (rand.chance(0.15)) body.logprobs = true;
  if (rand.chance(0.1) && body.logprobs) body.top_logprobs = rand.int(0, 5);
  if (rand.chance(0.1)) body.frequency_penalty = rand.next() * 2;
  if (rand.chance(0.1)) body.presence_penalty = rand.next() * 2;
  if (rand.chance(0.1)) body.logit_bias = { [String(rand.int(0, 1000))]: rand.int(-100, 100) };
  if (rand.chance(0.1) && route !== ROUTES.predictionguard) body.ignore_eos = rand.chance(0.5);
  if (rand.chance(0.1)) body.response_format = { type: "json_object" };
  if (rand.chance(0.1)) {
    body.tools = [
      {
        type: "function",
        function: { name: "lookup", parameters: { type: "object", properties: { q: { type: "string" } } } },
      },
    ];
    body.tool_choice = rand.pick(["auto", "required", "none", { type: "function", function: { name: "lookup" } }]);
  }
  if (rand.chance(0.1)) {
    body.messages = [
      { role: "system", content: [{ type: "text", text: rand.words(3) }] },
      { role: "user", content: rand.words(4) },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "c1", type: "function", function: { name: "lookup", arguments: '{"q":"x"}' } }],
      },
      { role: "tool", tool_call_id: "c1", content: "river" },
    ];
  }
  return body;
}

const DEEP = "__deep__";
const FIELDS = [
  "model",
  "messages",
  "stream",
  "stream_options",
  "n",
  "max_tokens",
  "max_completion_tokens",
  "temperature",
  "top_p",
  "top_k",
  "min_p",
  "seed",
  "stop",
  "frequency_penalty",
  "presence_penalty",
  "repetition_penalty",
  "logit_bias",
  "ignore_eos",
  "logprobs",
  "top_logprobs",
  "response_format",
  "tools",
  "tool_choice",
  "metadata",
];
const OUT_OF_RANGE = [-1, 0, -0.5, 2.5, 3, 1e9, -1e9, 1e308, -1e308, 2 ** 53, 2 ** 64, 1e-300, 129, 21, 101, -101];

/** Changes one thing of a valid request: a deleted field, a wrong type, an out-of-range number, a huge or deep value. */
function mutate(rand: Rand, body: Record<string, unknown>): string {
  const field = rand.pick(FIELDS);
  const how = rand.int(0, 7);
  switch (how) {
    case 0:
      delete body[field];
      return `delete ${field}`;
    case 1:
      body[field] = randomJson(rand, 2);
      return `wrong type ${field}`;
    case 2:
      body[field] = rand.pick(OUT_OF_RANGE);
      return `out of range ${field}`;
    case 3: {
      const huge = "word ".repeat(rand.int(1_000, 40_000));
      if (rand.chance(0.5)) body.messages = [{ role: "user", content: huge }];
      else body[field] = huge;
      return "huge string";
    }
    case 4:
      body[field] = DEEP;
      return `deep ${field}`;
    case 5: {
      const first: unknown = Array.isArray(body.messages) ? body.messages[0] : undefined;
      const message: Record<string, unknown> =
        typeof first === "object" && first !== null ? { ...first } : { role: "user", content: "hello" };
      const key = rand.pick(["role", "content", "tool_calls", "name", "tool_call_id"]);
      message[key] = rand.chance(0.3) ? DEEP : randomJson(rand, 3);
      body.messages = [message];
      return `message.${key}`;
    }
    case 6:
      body.logit_bias = { [rand.pick(["-1", "abc", "1e3", "99999999", "1.5", "", "0x10"])]: rand.int(-100, 100) };
      return "logit_bias key";
    default:
      body.response_format = rand.pick([
        { type: "json_schema", json_schema: { name: "x", schema: randomJson(rand, 3) } },
        { type: "json_schema", json_schema: { name: "x", schema: { type: "object", properties: { a: DEEP } } } },
        { type: "json_object", schema: { type: "array", items: { $ref: "#/nowhere" } } },
        { type: rand.pick(["text", "json", "xml", 5]) },
      ]);
      return "response_format";
  }
}

function nested(rand: Rand): string {
  const depth = rand.int(100, 20_000);
  return rand.chance(0.5)
    ? `${"[".repeat(depth)}${"]".repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
}

/** Keeps any valid max_tokens small: the fuzz tests validation, not long generations. */
function capTokens(body: Record<string, unknown>): void {
  for (const field of ["max_tokens", "max_completion_tokens"]) {
    const value = body[field];
    if (typeof value === "number" && Number.isInteger(value) && value > 4) body[field] = 4;
  }
  if (body.max_tokens === undefined && body.max_completion_tokens === undefined) body.max_tokens = 4;
}

function fuzzCase(rand: Rand): FuzzCase {
  const route = rand.pick(FUZZ_ROUTES);
  const json = "application/json";
  const roll = rand.next();
  if (roll < 0.15) return { kind: "random json", route, contentType: json, body: JSON.stringify(randomJson(rand, 4)) };
  if (roll < 0.25) {
    const bytes = new Uint8Array(rand.int(0, 300));
    for (let i = 0; i < bytes.length; i++) bytes[i] = rand.int(0, 255);
    return { kind: "random bytes", route, contentType: rand.pick([json, "application/octet-stream"]), body: bytes };
  }
  if (roll < 0.3) {
    const text = JSON.stringify(validRequest(rand, route));
    const broken = rand.pick([
      text.slice(0, rand.int(0, text.length - 1)),
      `\uFEFF${text}`,
      `${text}}`,
      text.replace(":", "="),
      "",
      "null",
      "[]",
      `${text}\n${text}`,
    ]);
    return { kind: "broken json", route, contentType: json, body: broken };
  }
  if (roll < 0.35) {
    const contentType = rand.pick([
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      undefined,
      "application/json; charset=latin1",
    ]);
    return { kind: "content type", route, contentType, body: JSON.stringify(validRequest(rand, route)) };
  }
  if (roll < 0.37) {
    // Over the 1 MiB limit: a 413.
    const body = validRequest(rand, route);
    body.messages = [{ role: "user", content: "a".repeat(MIB + rand.int(1, 1000)) }];
    return { kind: "too large", route, contentType: json, body: JSON.stringify(body) };
  }
  if (roll < 0.42) return hostileCase(rand, route);
  const body = validRequest(rand, route);
  const changes: string[] = [];
  if (roll >= 0.45) for (let i = rand.int(1, 3); i > 0; i--) changes.push(mutate(rand, body));
  capTokens(body);
  let text = JSON.stringify(body);
  if (text.includes(DEEP)) text = text.replaceAll(`"${DEEP}"`, () => nested(rand));
  return { kind: changes.length > 0 ? "mutated" : "valid", route, contentType: json, body: text };
}

/** The classes of request that once crashed or stalled the server, with random details. */
function hostileCase(rand: Rand, route: string): FuzzCase {
  const json = "application/json";
  const body = validRequest(rand, route);
  capTokens(body);
  const grammars = [
    { response_format: { type: "json_object" } },
    {
      response_format: {
        type: "json_schema",
        json_schema: { name: "x", schema: { type: "object", properties: { a: { type: "string" } } } },
      },
    },
    {
      tools: [
        {
          type: "function",
          function: { name: "f", parameters: { type: "object", properties: { n: { type: "integer" } } } },
        },
      ],
      tool_choice: "required",
    },
  ];
  switch (rand.int(0, 4)) {
    case 0: {
      // A grammar and a bias that bans tokens it may need (`{`, `}`, `"`, digits, the end token).
      const bias: Record<string, number> = {};
      for (let i = rand.int(1, 6); i > 0; i--)
        bias[String(rand.pick([4, 39, 128, 130, 53, 54, rand.int(0, 1500)]))] = -100;
      return {
        kind: "grammar + bias",
        route,
        contentType: json,
        body: JSON.stringify({ ...body, ...rand.pick(grammars), logit_bias: bias }),
      };
    }
    case 1: {
      const marker = rand.pick(["<|im_end|>", "<|im_start|>", "</s>", "<s>"]);
      body.messages = [
        {
          role: rand.pick(["user", "system", "assistant"]),
          content: `${rand.words(3)}${marker.repeat(rand.int(1, 2000))}`,
        },
      ];
      return { kind: "control tokens", route, contentType: json, body: JSON.stringify(body) };
    }
    case 2: {
      const values = Array.from({ length: rand.pick([10, 1000, 5000, 50_000]) }, (_, i) => `v${i}`);
      const schema = { type: "object", properties: { a: { enum: values } } };
      return {
        kind: "huge enum",
        route,
        contentType: json,
        body: JSON.stringify({ ...body, response_format: { type: "json_schema", json_schema: { name: "x", schema } } }),
      };
    }
    case 3: {
      for (const field of [
        "tools",
        "tool_choice",
        "stop",
        "stream_options",
        "logit_bias",
        "response_format",
        "seed",
        "n",
        "top_logprobs",
        "logprobs",
        "user",
      ]) {
        if (rand.chance(0.5)) body[field] = null;
      }
      return { kind: "nulls", route, contentType: json, body: JSON.stringify(body) };
    }
    default: {
      const messages = Array.from({ length: rand.pick([300, 3000, 10_000]) }, () => ({ role: "user", content: "" }));
      return { kind: "many messages", route, contentType: json, body: JSON.stringify({ ...body, messages }) };
    }
  }
}

interface FuzzOutcome {
  status: number;
  problem?: string;
}

async function sendFuzzCase(fuzz: FuzzCase): Promise<FuzzOutcome> {
  const headers: Record<string, string> = {};
  if (fuzz.contentType) headers["content-type"] = fuzz.contentType;
  let response: Response;
  try {
    response = await fetch(`${server.url}${fuzz.route}`, { method: "POST", headers, body: fuzz.body });
  } catch (error) {
    return { status: 0, problem: `network error: ${String((error as Error).cause ?? error)}` };
  }
  const text = await response.text();
  const status = response.status;
  if (status >= 200 && status < 300) {
    if ((response.headers.get("content-type") ?? "").startsWith("text/event-stream")) {
      const events = eventData(text);
      const conflictEnd = fuzz.kind === "grammar + bias" && events.at(-1)?.includes("logit_bias bans token");
      if (!conflictEnd && events.at(-1) !== "[DONE]")
        return { status, problem: `stream without [DONE]: ${text.slice(-300)}` };
      if (!conflictEnd && events.some((data) => data !== "[DONE]" && "error" in (JSON.parse(data) as object)))
        return { status, problem: `error event in stream: ${text.slice(-300)}` };
    } else {
      try {
        JSON.parse(text);
      } catch {
        return { status, problem: `2xx body is not JSON: ${text.slice(0, 300)}` };
      }
    }
    return { status };
  }
  if (status < 400 || status >= 500) return { status, problem: `status ${status}: ${text.slice(0, 300)}` };
  if (status === 429 && !response.headers.get("retry-after")) return { status, problem: "429 without retry-after" };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { status, problem: `4xx body is not JSON: ${text.slice(0, 300)}` };
  }
  const error = (body as { error?: unknown }).error;
  const shaped =
    fuzz.route === ROUTES.predictionguard
      ? typeof error === "string" && error.length > 0
      : typeof error === "object" &&
        error !== null &&
        typeof (error as { message?: unknown }).message === "string" &&
        typeof (error as { type?: unknown }).type === "string";
  if (!shaped) return { status, problem: `error body not in the dialect's shape: ${text.slice(0, 300)}` };
  return { status };
}

describe("fuzz: random and mutated request bodies", () => {
  it(`answers ${FUZZ_CASES} hostile bodies with 2xx or a dialect-shaped 4xx, never 5xx`, async () => {
    const rand = new Rand(seededRandom(20_260_101));
    const cases = Array.from({ length: FUZZ_CASES }, () => fuzzCase(rand));
    const outcomes = new Array<FuzzOutcome>(cases.length);
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: FUZZ_CONCURRENCY }, async () => {
        while (next < cases.length) {
          const at = next++;
          outcomes[at] = await sendFuzzCase(cases[at] as FuzzCase);
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;

    const histogram: Record<string, number> = {};
    const kinds: Record<string, number> = {};
    for (const [index, outcome] of outcomes.entries()) {
      histogram[outcome.status] = (histogram[outcome.status] ?? 0) + 1;
      const kind = (cases[index] as FuzzCase).kind;
      kinds[kind] = (kinds[kind] ?? 0) + 1;
    }
    const problems = outcomes.flatMap((outcome, index) => {
      if (!outcome.problem) return [];
      const fuzz = cases[index] as FuzzCase;
      const body = typeof fuzz.body === "string" ? fuzz.body.slice(0, 300) : `<${fuzz.body.length} bytes>`;
      return [`#${index} ${fuzz.kind} ${fuzz.route}: ${outcome.problem} <- ${body}`];
    });
    console.log(
      `fuzz report: ${JSON.stringify({ cases: FUZZ_CASES, seconds: Number(elapsed.toFixed(1)), histogram, kinds, problems: problems.length })}`,
    );

    expect(problems.slice(0, 10)).toEqual([]);
    expect(Object.keys(histogram).filter((status) => Number(status) >= 500 || Number(status) < 200)).toEqual([]);

    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const idle = await idleMetrics();
    expect(idle.active).toBe(0);
    expect(idle.queued).toBe(0);
    expect(serverErrorCounters(idle.text)).toEqual([]);
  }, 120_000);
});
