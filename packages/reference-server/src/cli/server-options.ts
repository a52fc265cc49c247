import { basename } from "node:path";
import type { ServerOptions } from "../http/server.js";
import type { Logger } from "../log.js";
import { DEFAULT_MODEL_ID } from "../model/default-model.js";
import {
  ALLOW_ORIGIN,
  API_KEY,
  CONTEXT,
  DIALECT,
  GPU,
  HOST,
  LORA,
  MODEL,
  PARALLEL,
  PORT,
  SEND_TIMEOUT,
  THREADS,
} from "./options.js";
import type { CommandLine } from "./parse-args.js";

/** What `startServer` gets from the command line; `modelPath` is the model that was checked. */
export function serverOptions(
  line: CommandLine,
  modelPath: string,
  log: Logger,
  onLoadProgress?: (fraction: number) => void,
): ServerOptions {
  const model = line.get(MODEL);
  const origins = line.all(ALLOW_ORIGIN);
  return {
    modelPath,
    modelId: model ? basename(model).replace(/\.gguf$/i, "") : DEFAULT_MODEL_ID,
    host: line.value(HOST),
    port: line.value(PORT),
    dialect: line.value(DIALECT),
    gpu: line.value(GPU),
    threads: line.value(THREADS),
    parallel: line.value(PARALLEL),
    contextSize: line.value(CONTEXT),
    apiKey: line.get(API_KEY),
    sendTimeoutMs: line.get(SEND_TIMEOUT),
    allowedOrigins: origins.length > 0 ? origins : undefined,
    loras: line.all(LORA),
    maxBodyBytes: 1024 * 1024,
    maxQueue: 64,
    log,
    onLoadProgress,
  };
}
