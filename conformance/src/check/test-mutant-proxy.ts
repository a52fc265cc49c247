import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
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

/**
 * One deviation from the protocol, applied by the proxy to otherwise correct traffic. Each hook
 * defaults to passing things through unchanged.
 */
export interface Mutant {
  request?(traffic: Traffic): Record<string, unknown> | undefined;
  headers?(traffic: Traffic, headers: Record<string, string>): Record<string, string>;
  events?(traffic: Traffic, events: ProxiedEvent[]): ProxiedEvent[];
  json?(traffic: Traffic, body: unknown, status: number): unknown;
  contentType?(traffic: Traffic, contentType: string): string;
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

function serialize(events: readonly ProxiedEvent[]): string {
  return events
    .map(
      (event) => `${event.event ? `event: ${event.event}\n` : ""}data: ${event.data.split("\n").join("\ndata: ")}\n\n`,
    )
    .join("");
}

/**
 * An HTTP proxy in front of `upstream` that rewrites traffic through the current mutant. Streams
 * are read whole, parsed into events, transformed and re-serialized: the probes are short.
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
      let out: string;
      if (upstreamType.startsWith("text/event-stream") && upstreamResponse.body) {
        let events: ProxiedEvent[] = [];
        for await (const event of iterateServerSentEvents(upstreamResponse.body)) {
          events.push(event.event === "message" ? { data: event.data } : { event: event.event, data: event.data });
        }
        events = active.events?.(traffic, events) ?? events;
        out = serialize(events);
      } else {
        out = await upstreamResponse.text();
        const json = parseObject(out);
        if (json !== undefined && active.json)
          out = JSON.stringify(active.json(traffic, json, upstreamResponse.status));
      }
      response.writeHead(upstreamResponse.status, { "content-type": contentType });
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
