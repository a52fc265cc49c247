import { type DialectId, dialects } from "@chatwire/core";
import { DEFAULT_MODEL_ID } from "@chatwire/reference-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECT_IDS } from "../dialect-wire.js";
import type { Fixture } from "../fixture.js";
import { type ReferenceBackend, startReferenceBackend } from "../reference-backend.js";
import { driveSDK } from "../replay/sdk-drivers.js";
import type { SuiteReport } from "../results.js";
import { runChecks } from "./run-checks.js";
import { type MutantProxy, type ProxiedEvent, startMutantProxy } from "./test-mutant-proxy.js";
import { WIRE_VARIANTS, type WireVariant } from "./test-variants.js";

let server: ReferenceBackend;
let proxy: MutantProxy;
const baseline = new Map<DialectId, SuiteReport>();

const check = (dialect: DialectId) =>
  runChecks({ dialect, baseURL: `${proxy.url}/${dialect}`, apiKey: server.apiKey, model: DEFAULT_MODEL_ID });

beforeAll(async () => {
  server = await startReferenceBackend({ gpu: "off" });
  proxy = await startMutantProxy(server.url);
  for (const dialect of DIALECT_IDS) baseline.set(dialect, await check(dialect));
}, 180_000);

afterAll(async () => {
  await proxy?.stop();
  await server?.stop();
});

const cases = WIRE_VARIANTS.flatMap((variant) => DIALECT_IDS.map((dialect) => ({ ...variant, dialect, variant })));

describe("benign wire variants", () => {
  it("start from a clean baseline: every check passes or is skipped through the bare proxy", () => {
    for (const [dialect, report] of baseline) {
      const bad = report.results.filter((result) => result.outcome !== "pass" && result.outcome !== "skip");
      expect(bad.map((result) => `${dialect} ${result.id}: ${result.expected} / ${result.got}`)).toEqual([]);
    }
  });

  it.each(WIRE_VARIANTS.filter((variant) => variant.marker))("$name is on the wire", async (variant) => {
    const response = await rawStream(variant);
    // ignoreBOM: the bytes as sent, a leading byte order mark included.
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer());
    expect(text).toMatch(variant.marker as RegExp);
  });

  it("late-close keeps the connection open after [DONE]", async () => {
    const response = await rawStream(WIRE_VARIANTS.find((variant) => variant.name === "late-close") as WireVariant);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = "";
    let doneAt = 0;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      if (!doneAt && text.includes("data: [DONE]")) doneAt = performance.now();
    }
    expect(doneAt).toBeGreaterThan(0);
    expect(performance.now() - doneAt).toBeGreaterThanOrEqual(250);
  });

  it.each(cases)("$name ($dialect): every check that passed still passes", { timeout: 120_000 }, async (entry) => {
    proxy.use(entry.variant.mutant);
    const report = await check(entry.dialect).finally(() => proxy.use(undefined));
    const before = baseline.get(entry.dialect) as SuiteReport;
    const allowed = new Set(entry.variant.mayFail?.[entry.dialect] ?? []);
    const regressions = report.results.filter((result) => {
      const was = before.results.find((old) => old.id === result.id);
      return was?.outcome === "pass" && result.outcome !== "pass" && !allowed.has(result.id);
    });
    expect(regressions.map((result) => `${result.id}: ${result.outcome} ${result.expected} / ${result.got}`)).toEqual(
      [],
    );
    for (const id of allowed) {
      expect(report.results.find((result) => result.id === id)?.severity, id).toBe("recommended");
    }
  });

  it.each(cases)(
    "$name ($dialect): the SDK reads the same chunks as the events say",
    { timeout: 60_000 },
    async (entry) => {
      const sent = await sdkThroughVariant(entry.variant, entry.dialect);
      expect(sent.outcome.error).toBeUndefined();
      expect(sent.outcome.chunks).toEqual(sent.expected);
      expect(sent.outcome.chunks?.length).toBeGreaterThan(1);
      // Usage that arrives on a chunk of its own is kept, whatever the dialect's own placement.
      if (sent.expected.some((chunk) => chunk.usage)) expect(sent.outcome.completion?.usage).toBeTruthy();
    },
  );
});

/** A short Gradient stream through the proxy with the variant on, its body unread. */
function rawStream(variant: WireVariant): Promise<Response> {
  proxy.use(variant.mutant);
  return fetch(`${proxy.url}/gradient/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${server.apiKey}` },
    body: JSON.stringify({
      model: DEFAULT_MODEL_ID,
      messages: [{ role: "user", content: "Hi" }],
      max_tokens: 6,
      stream: true,
    }),
  }).finally(() => proxy.use(undefined));
}

/**
 * One streamed SDK call through the proxy with the variant on. The events the variant wrote are
 * kept as the proxy framed them, and parsed here (JSON.parse of each event's data before the
 * sentinel) into the chunks any SDK must hand out, whatever the framing.
 */
async function sdkThroughVariant(variant: WireVariant, dialect: DialectId) {
  let written: ProxiedEvent[] = [];
  proxy.use({
    ...variant.mutant,
    events(traffic, events) {
      written = variant.mutant.events?.(traffic, events) ?? events;
      return written;
    },
  });
  const body = {
    model: DEFAULT_MODEL_ID,
    messages: [{ role: "user", content: "Describe the weather at the sea." }],
    temperature: 0,
    seed: 7,
    max_tokens: 12,
    stream: true,
    // Usage where the dialect streams it, so the usage variant has something to move.
    ...(dialects[dialect].stream.usage_placement !== "none" && { stream_options: { include_usage: true } }),
  };
  const fixture = { dialect, request: { body } } as unknown as Fixture;
  const outcome = await driveSDK(fixture, { baseURL: `${proxy.url}/${dialect}`, apiKey: server.apiKey }).finally(() =>
    proxy.use(undefined),
  );
  const sentinel = written.findIndex((event) => event.data === "[DONE]");
  const expected = (sentinel === -1 ? written : written.slice(0, sentinel)).map(
    (event) => JSON.parse(event.data) as Record<string, unknown>,
  );
  return { outcome, expected };
}
