import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { iterateServerSentEvents } from "@chatwire/core";
import { type RunningServer, type ServerOptions, startServer } from "./http/server.js";
import { DEFAULT_MODEL_ID, ensureDefaultModel } from "./model/default-model.js";

export interface TestServer extends RunningServer {
  /** Closes the server and removes its model directory. */
  stop(): Promise<void>;
}

/** Writes the tiny model into a fresh temp dir, starts a server on a free port and waits for the model. */
export async function startTestServer(overrides: Partial<ServerOptions> = {}): Promise<TestServer> {
  const directory = mkdtempSync(join(tmpdir(), "chatwire-server-test-"));
  const { path } = ensureDefaultModel(directory);
  const server = await startServer({
    modelPath: path,
    modelId: DEFAULT_MODEL_ID,
    host: "127.0.0.1",
    port: 0,
    dialect: "gradient",
    gpu: "off",
    threads: 1,
    parallel: 4,
    contextSize: 2048,
    maxBodyBytes: 1024 * 1024,
    maxQueue: 8,
    log: () => {},
    ...overrides,
  });
  try {
    await server.ready;
  } catch (error) {
    await server.close();
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
  return {
    ...server,
    async stop() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** POSTs `body` as JSON to `url`. */
export function postJSON(
  url: string,
  body: unknown,
  init: { headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...init.headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
    ...(init.signal && { signal: init.signal }),
  });
}

/** The `data` of every event of an SSE response, in order, `[DONE]` included as the raw string. */
async function readEvents(response: Response): Promise<string[]> {
  if (!response.body) throw new Error("the response has no body");
  const data: string[] = [];
  for await (const event of iterateServerSentEvents(response.body)) data.push(event.data);
  return data;
}

/** Parses a stream's events: the JSON chunks before `[DONE]`, and whether `[DONE]` came last. */
export async function readChunks(response: Response): Promise<{ chunks: Record<string, unknown>[]; done: boolean }> {
  const data = await readEvents(response);
  const done = data.at(-1) === "[DONE]";
  const body = done ? data.slice(0, -1) : data;
  if (body.includes("[DONE]")) throw new Error("[DONE] came before the end of the stream");
  return { chunks: body.map((text) => JSON.parse(text) as Record<string, unknown>), done };
}
