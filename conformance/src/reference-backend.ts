import { randomBytes } from "node:crypto";

const REFERENCE_SERVER = "@chatwire/reference-server";

export interface ReferenceBackend {
  /** The server's origin; each dialect lives under `/<dialect>`. */
  url: string;
  apiKey: string;
  modelId: string;
  stop(): Promise<void>;
}

/** Where the reference server runs its model (the server's own `GpuChoice`). */
type GpuChoice = "auto" | "cuda" | "vulkan" | "off";

/**
 * The reference server is an optional peer: it brings node-llama-cpp (hundreds of megabytes), which
 * checking a remote backend or replaying fixtures never needs. Only the commands that start it
 * (`all`, and `record` without `--base-url`) get here.
 */
export class ReferenceServerMissingError extends Error {
  override name = "ReferenceServerMissingError";
}

async function loadReferenceServer(purpose: string): Promise<typeof import("@chatwire/reference-server")> {
  try {
    return await import("@chatwire/reference-server");
  } catch (error) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    const missing =
      (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") &&
      typeof message === "string" &&
      (message.includes(REFERENCE_SERVER) || message.includes("node-llama-cpp"));
    if (!missing) throw error;
    const what = message.includes(REFERENCE_SERVER) ? "is not installed" : `could not load (${message})`;
    throw new ReferenceServerMissingError(
      `${REFERENCE_SERVER} ${what}: install ${REFERENCE_SERVER} to run ${purpose} ` +
        `(npm i -D ${REFERENCE_SERVER}; it brings node-llama-cpp). check and replay work without it.`,
      { cause: error },
    );
  }
}

/**
 * The reference server on its generated model, on a free local port, with a fresh key so auth is tested too.
 * `purpose` names what needs it (e.g. "`all`"), for the message when the server is not installed.
 */
export async function startReferenceBackend(
  options: { gpu?: GpuChoice; purpose?: string } = {},
): Promise<ReferenceBackend> {
  const { DEFAULT_MODEL_ID, ensureDefaultModel, startServer } = await loadReferenceServer(
    options.purpose ?? "the reference server",
  );
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
