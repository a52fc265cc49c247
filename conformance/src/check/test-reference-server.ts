import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_MODEL_ID, ensureDefaultModel, startServer } from "@chatwire/reference-server";

export interface TestReferenceServer {
  /** The origin; each dialect lives under `/<dialect>`. */
  url: string;
  apiKey: string;
  stop(): Promise<void>;
}

/** The reference server on its tiny generated model, on a free port, with a fresh key, for one test file. */
export async function startTestReferenceServer(): Promise<TestReferenceServer> {
  const directory = mkdtempSync(join(tmpdir(), "chatwire-check-test-"));
  const apiKey = `cw-${randomBytes(8).toString("hex")}`;
  const server = await startServer({
    modelPath: ensureDefaultModel(directory).path,
    modelId: DEFAULT_MODEL_ID,
    host: "127.0.0.1",
    port: 0,
    dialect: "gradient",
    gpu: "off",
    threads: 1,
    parallel: 4,
    contextSize: 2048,
    apiKey,
    maxBodyBytes: 1024 * 1024,
    maxQueue: 8,
    log: () => {},
  });
  const stop = async () => {
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    await server.ready;
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: server.url, apiKey, stop };
}

/** The base URL of one dialect on the reference server. */
export function dialectBase(origin: string, dialect: string): string {
  return `${origin}/${dialect}`;
}
