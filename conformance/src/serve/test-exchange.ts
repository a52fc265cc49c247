import { type Agent, type IncomingHttpHeaders, request } from "node:http";

/** One piece of a response body as the client read it, and when (ms after the response headers). */
interface ReadPiece {
  bytes: Buffer;
  atMs: number;
}

/** A response as a client saw it: each read on its own, and how the body ended. */
export interface Exchange {
  status: number;
  headers: IncomingHttpHeaders;
  pieces: ReadPiece[];
  /** `end` for a body that ended normally, else the error code the connection failed with. */
  ending: string;
  /** The request went on a connection an earlier request had used. */
  reusedConnection: boolean;
}

export interface ExchangeRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Leave the request body unfinished (no end), to see the answer to its first bytes. */
  keepOpen?: boolean;
  /** Send on this agent's connections; a fresh connection of its own when not given. */
  agent?: Agent;
  /** Called with each piece as it is read, e.g. to leave after the first. */
  onPiece?: (piece: ReadPiece, leave: () => void) => void;
}

/** Makes one request on a fresh connection and reads the answer as raw bytes. */
export function exchange(url: string, init: ExchangeRequest = {}): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: init.method ?? "POST", headers: init.headers, agent: init.agent ?? false });
    // A reset mid-body is reported on the request; before the response it fails the exchange.
    let finish: ((ending: string) => void) | undefined;
    outgoing.on("error", (error: NodeJS.ErrnoException) =>
      finish ? finish(error.code ?? error.message) : reject(error),
    );
    outgoing.on("response", (response) => {
      const started = performance.now();
      const pieces: ReadPiece[] = [];
      let settled = false;
      finish = (ending: string) => {
        if (settled) return;
        settled = true;
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          pieces,
          ending,
          reusedConnection: outgoing.reusedSocket,
        });
      };
      const done = finish;
      const leave = () => {
        response.destroy();
        done("left");
      };
      response.on("data", (bytes: Buffer) => {
        const piece = { bytes, atMs: performance.now() - started };
        pieces.push(piece);
        init.onPiece?.(piece, leave);
      });
      response.on("end", () => done("end"));
      response.on("error", (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
      // After "error" or "end" when there is one; set it apart only for a close without either.
      response.on("close", () => setImmediate(() => done(response.complete ? "end" : "closed")));
    });
    if (init.body !== undefined) outgoing.write(init.body);
    if (init.keepOpen) outgoing.flushHeaders();
    else outgoing.end();
  });
}

/** Posts `body` as JSON and reads the answer as JSON. */
export async function postJSON(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}
