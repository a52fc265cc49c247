#!/usr/bin/env node
import { helpText } from "./cli/help.js";
import { describeListenError } from "./cli/listen-error.js";
import { captureLlamaLog } from "./cli/llama-log.js";
import { loadProgressLogger } from "./cli/load-progress.js";
import { cliLogger } from "./cli/logger.js";
import { checkLoraNames } from "./cli/lora-names.js";
import { ADAPTER, HOST, LORA, MODEL, OUT, PORT, SIZE } from "./cli/options.js";
import { type CommandLine, parseCommandLine, UsageError } from "./cli/parse-args.js";
import { serverOptions } from "./cli/server-options.js";
import { packageVersion } from "./cli/version.js";
import { ensureDefaultModel, ensureGeneratedAdapter, ensureGeneratedModel } from "./model/default-model.js";
import { checkGGUFFile } from "./model/gguf-check.js";
import { checkLoraFile } from "./model/lora-check.js";

const log = cliLogger();

/** Logs one error line (no stack) and exits 1. */
function fatal(message: string): never {
  log("error", `chatwire-server: ${message}`);
  process.exit(1);
}

let line: CommandLine;
try {
  line = parseCommandLine(process.argv.slice(2), process.env);
  checkLoraNames(line.all(LORA));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`chatwire-server: ${error.message} (chatwire-server --help lists the options)\n`);
  process.exit(2);
}

if (line.command === "help") {
  process.stdout.write(helpText());
  process.exit(0);
}
if (line.command === "version") {
  process.stdout.write(`${packageVersion()}\n`);
  process.exit(0);
}
if (line.command === "make-model") {
  let writing = "the model";
  try {
    const written = [ensureGeneratedModel(line.value(SIZE), line.get(OUT))];
    writing = "the LoRA adapter";
    if (line.value(ADAPTER)) written.push(ensureGeneratedAdapter(line.value(SIZE), line.get(OUT)));
    for (const { path, created } of written) process.stdout.write(`${created ? "wrote" : "already there:"} ${path}\n`);
    process.exit(0);
  } catch (error) {
    fatal(`cannot write ${writing}: ${(error as Error).message}`);
  }
}

let modelPath: string;
try {
  modelPath = line.get(MODEL) ?? ensureDefaultModel().path;
} catch (error) {
  fatal(`cannot write the generated model: ${(error as Error).message}`);
}
try {
  checkGGUFFile(modelPath);
} catch (error) {
  fatal((error as Error).message);
}
for (const { name, path } of line.all(LORA)) {
  try {
    checkLoraFile(path);
  } catch (error) {
    fatal(`--lora ${name}: ${(error as Error).message}`);
  }
}

const llamaLog = captureLlamaLog(log);
// Imported only now: node-llama-cpp takes half a second to load, and a bad model or usage fails before.
const { startServer } = await import("./http/server.js");
const options = serverOptions(line, modelPath, log, loadProgressLogger(log, modelPath));
let server: Awaited<ReturnType<typeof startServer>>;
try {
  server = await startServer(options);
} catch (error) {
  fatal(describeListenError(error, line.value(HOST), line.value(PORT)));
}
log("info", `chatwire-server ${packageVersion()}: loading ${modelPath}; ${server.url} answers 503 until it is loaded`);
const loadStarted = performance.now();
server.ready.then(
  () => {
    const seconds = (performance.now() - loadStarted) / 1000;
    llamaLog.loaded();
    if (seconds >= 1) log("info", `loaded ${options.modelId} in ${seconds.toFixed(1)} s`);
  },
  (error: Error) => {
    const reason = llamaLog.failure();
    fatal(`could not load ${modelPath}: ${error.message.split("\n")[0]}${reason ? ` (llama.cpp: ${reason})` : ""}`);
  },
);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    log("info", `${signal}, shutting down`);
    server.close().then(() => process.exit(0));
  });
}
