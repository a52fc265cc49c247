import { randomBytes } from "node:crypto";
import { DEFAULT_MODEL_ID, ensureDefaultModel, type GpuChoice, startServer } from "@chatwire/reference-server";

export interface ReferenceBackend {
  /** The server's origin; each dialect lives under `/<dialect>`. */
  url: string;
  apiKey: string;
  modelId: string;
  stop(): Promise<void>;
}

/** The reference server on its generated model, on a free local port, with a fresh key so auth is tested too. */
export async function startReferenceBackend(options: { gpu?: GpuChoice } = {}): Promise<ReferenceBackend> {
  const apiKey = `cw-${randomBytes(12).toString("hex")}`;
  const server = await startServer({
    modelPath: ensureDefaultModel().path,
    modelId: DEFAULT_MODEL_ID,
    host: "127.0.0.1",
    port: 0,
    dialect: "gradient",
    gpu: options.gpu ?? "auto",
    // One generation thread: more fight the event loop the checks and the server share.
    threads: 1,
    parallel: 4,
    contextSize: 2048,
    apiKey,
    maxBodyBytes: 1024 * 1024,
    maxQueue: 16,
    log: () => {},
  });
  try {
    await server.ready;
  } catch (error) {
    await server.close();
    throw new Error(`the reference server could not load its model: ${(error as Error).message}`);
  }
  return { url: server.url, apiKey, modelId: DEFAULT_MODEL_ID, stop: () => server.close() };
}

/** The base URL of one dialect on the reference server. */
export function dialectBaseURL(origin: string, dialect: string): string {
  return `${origin.replace(/\/+$/, "")}/${dialect}`;
}
