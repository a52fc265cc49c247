import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { iterateServerSentEvents } from "@chatwire/core";
import { PROBE_HEADER } from "./probe-requests.js";

/** One event of a stream as the proxy re-sends it: `event:` only when named. */
export interface ProxiedEvent {
  event?: string;
  data: string;
}

/** What the proxy knows of an exchange when it mutates it. */
export interface Traffic {
  /** The probe that sent it (the checks' `x-chatwire-probe` header). */
  probe: string | undefined;
  path: string;
  /** The request body as JSON, after the mutant's request rewrite. */
  body: Record<string, unknown> | undefined;
}

/** One write of a stream's bytes, `at` ms after the first. */
export interface TimedWrite {
  text: string;
  at: number;
}

/**
 * One deviation from the protocol, applied by the proxy to otherwise correct traffic. Each hook
 * defaults to passing things through unchanged. The same hooks carry the benign wire variants
 * (test-variants.ts): another framing of the same events, other writes, a late close.
 */
export interface Mutant {
  request?(traffic: Traffic): Record<string, unknown> | undefined;
  headers?(traffic: Traffic, headers: Record<string, string>): Record<string, string>;
  events?(traffic: Traffic, events: ProxiedEvent[]): ProxiedEvent[];
  json?(traffic: Traffic, body: unknown, status: number): unknown;
  contentType?(traffic: Traffic, contentType: string): string;
  /** The status the client sees instead of the backend's. */
  status?(traffic: Traffic, status: number): number;
  /** How one event is written (default `data: ...` lines and a blank line); `index` counts from 0. */
  frame?(traffic: Traffic, event: ProxiedEvent, index: number): string;
  /**
   * How a stream's frames are cut into writes. By default each frame is its own write, sent at the
   * pace its event arrived from the backend, so a stream stays as incremental as the backend made it.
   */
  writes?(traffic: Traffic, frames: readonly string[], arrivals: readonly number[]): TimedWrite[];
  /** Milliseconds the connection stays open after a stream's last write. */
  lingerMs?(traffic: Traffic): number;
}

export interface MutantProxy {
  url: string;
  /** The mutant applied from the next request on; undefined passes everything through. */
  use(mutant: Mutant | undefined): void;
  stop(): Promise<void>;
}

const HOP_BY_HOP = new Set(["host", "connection", "content-length", "transfer-encoding", "keep-alive"]);

async function readBody(request: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of request as AsyncIterable<Buffer>) parts.push(part);
  return Buffer.concat(parts).toString("utf8");
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** One event as a conforming backend writes it. */
export function frameEvent(event: ProxiedEvent): string {
  return `${event.event ? `event: ${event.event}\n` : ""}data: ${event.data.split("\n").join("\ndata: ")}\n\n`;
}

/** Each frame its own write, at the time the event it stands for arrived (the last arrival for extra ones). */
export function pacedWrites(frames: readonly string[], arrivals: readonly number[]): TimedWrite[] {
  const start = arrivals[0] ?? 0;
  return frames.map((text, index) => ({ text, at: (arrivals[Math.min(index, arrivals.length - 1)] ?? start) - start }));
}

/**
 * An HTTP proxy in front of `upstream` that rewrites traffic through the current mutant. Streams
 * are read whole, parsed into events, transformed and re-serialized (the probes are short), then
 * written at the pace they arrived.
 */
export async function startMutantProxy(upstream: string): Promise<MutantProxy> {
  let mutant: Mutant | undefined;

  const server: Server = createServer((request, response) => {
    void (async () => {
      const active = mutant ?? {};
      const text = await readBody(request);
      const path = request.url ?? "/";
      const probeHeader = request.headers[PROBE_HEADER];
      const traffic: Traffic = {
        probe: typeof probeHeader === "string" ? probeHeader : undefined,
        path,
        body: parseObject(text),
      };
      traffic.body = active.request?.(traffic) ?? traffic.body;
      let headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if (typeof value === "string" && !HOP_BY_HOP.has(name)) headers[name] = value;
      }
      headers = active.headers?.(traffic, headers) ?? headers;
      const upstreamResponse = await fetch(`${upstream}${path}`, {
        method: request.method ?? "GET",
        headers,
        ...(request.method === "POST" && { body: traffic.body === undefined ? text : JSON.stringify(traffic.body) }),
      });
      const upstreamType = upstreamResponse.headers.get("content-type") ?? "";
      const contentType = active.contentType?.(traffic, upstreamType) ?? upstreamType;
      const status = active.status?.(traffic, upstreamResponse.status) ?? upstreamResponse.status;
      if (upstreamType.startsWith("text/event-stream") && upstreamResponse.body) {
        let events: ProxiedEvent[] = [];
        const arrivals: number[] = [];
        for await (const event of iterateServerSentEvents(upstreamResponse.body)) {
          arrivals.push(performance.now());
          events.push(event.event === "message" ? { data: event.data } : { event: event.event, data: event.data });
        }
        events = active.events?.(traffic, events) ?? events;
        const frames = events.map((event, index) => active.frame?.(traffic, event, index) ?? frameEvent(event));
        const writes = active.writes?.(traffic, frames, arrivals) ?? pacedWrites(frames, arrivals);
        response.writeHead(status, { "content-type": contentType });
        const started = performance.now();
        for (const write of writes) {
          const wait = write.at - (performance.now() - started);
          if (wait > 0) await sleep(wait);
          response.write(write.text);
        }
        const linger = active.lingerMs?.(traffic) ?? 0;
        if (linger > 0) await sleep(linger);
        response.end();
        return;
      }
      let out = await upstreamResponse.text();
      const json = parseObject(out);
      if (json !== undefined && active.json) out = JSON.stringify(active.json(traffic, json, upstreamResponse.status));
      response.writeHead(status, { "content-type": contentType });
      response.end(out);
    })().catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(502, { "content-type": "text/plain" });
      response.end(`mutant proxy failed: ${(error as Error).stack ?? String(error)}`);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    use(next) {
      mutant = next;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
