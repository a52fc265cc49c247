/** The two servers the side-by-side benchmark starts: chatwire-server from this build, and llama.cpp's llama-server. */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { basename, join } from "node:path";

const repository = new URL("../../../../", import.meta.url).pathname;

export interface RunningServer {
  name: string;
  /** The OpenAI-compatible chat-completions URL. */
  completionsUrl: string;
  /** The command line it was started with, for the report. */
  commandLine: string;
  stop(): Promise<void>;
}

export interface ServerShape {
  modelPath: string;
  threads: number;
  /** Sequences generated at once (llama-server's slots). */
  parallel: number;
  /** Tokens each sequence holds. */
  contextPerSequence: number;
}

/** The model id both servers are asked for: the file name without .gguf, as chatwire-server names it. */
export const modelId = (modelPath: string) => basename(modelPath).replace(/\.gguf$/i, "");

/** Builds llama-server once with the conformance calibration's script (it returns at once when built). */
export function llamaServerBinary(): { binary: string; tag: string } {
  const script = join(repository, "conformance/calibrate/build-llama-server.sh");
  const output = execFileSync("bash", [script], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const binary = output.trim().split("\n").at(-1) as string;
  const info = JSON.parse(
    readFileSync(join(repository, "node_modules/node-llama-cpp/llama/llama.cpp.info.json"), "utf8"),
  ) as { tag: string };
  return { binary, tag: info.tag };
}

/** The generated model's path, as `chatwire-server make-model` prints it. */
export function generatedModelPath(): string {
  const cli = new URL("../cli.js", import.meta.url).pathname;
  const output = execFileSync(process.execPath, [cli, "make-model"], { encoding: "utf8" });
  const match = /(\S+\.gguf)\s*$/.exec(output);
  if (!match) throw new Error(`make-model printed no path: ${output}`);
  return match[1] as string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
}

function exitedEarly(child: ChildProcess, name: string, log: () => string): Promise<never> {
  return new Promise((_, reject) => {
    child.once("exit", (code, signal) =>
      reject(new Error(`${name} exited (${code ?? signal}) before it was ready:\n${log().slice(-2000)}`)),
    );
  });
}

export async function startChatwireServer(shape: ServerShape): Promise<RunningServer> {
  const cli = new URL("../cli.js", import.meta.url).pathname;
  const args = [
    ...["--model", shape.modelPath, "--port", "0", "--gpu", "off"],
    ...["--threads", `${shape.threads}`, "--parallel", `${shape.parallel}`, "--context", `${shape.contextPerSequence}`],
  ];
  const child = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stderr?.on("data", (data: Buffer) => {
    log += data.toString();
  });
  const url = await Promise.race([
    new Promise<string>((resolve) => {
      child.stdout?.on("data", (data: Buffer) => {
        log += data.toString();
        const match = /listening at (\S+)/.exec(log);
        if (match) resolve(match[1] as string);
      });
    }),
    exitedEarly(child, "chatwire-server", () => log),
  ]);
  // Keep draining its output so a full pipe never blocks it; the text is not needed any more.
  child.stdout?.removeAllListeners("data");
  child.stderr?.removeAllListeners("data");
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    name: "chatwire-server",
    completionsUrl: `${url}/gradient/v1/chat/completions`,
    commandLine: `chatwire-server ${args.join(" ").replace(shape.modelPath, basename(shape.modelPath))}`,
    stop: stopper(child),
  };
}

export async function startLlamaServer(binary: string, shape: ServerShape): Promise<RunningServer> {
  const port = await freePort();
  const args = [
    ...["-m", shape.modelPath, "--host", "127.0.0.1", "--port", `${port}`, "--alias", modelId(shape.modelPath)],
    ...[
      "--threads",
      `${shape.threads}`,
      "-np",
      `${shape.parallel}`,
      "-c",
      `${shape.parallel * shape.contextPerSequence}`,
    ],
    // --jinja: the model's own chat template, as chatwire-server applies it.
    "--jinja",
  ];
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const keep = (data: Buffer) => {
    log = (log + data.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const base = `http://127.0.0.1:${port}`;
  const ready = (async () => {
    while (child.exitCode === null && child.signalCode === null) {
      const healthy = await fetch(`${base}/health`).then(
        (response) => response.status === 200,
        () => false,
      );
      if (healthy) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  await Promise.race([ready, exitedEarly(child, "llama-server", () => log)]);
  return {
    name: "llama-server",
    completionsUrl: `${base}/v1/chat/completions`,
    commandLine: `llama-server ${args.join(" ").replace(shape.modelPath, basename(shape.modelPath))}`,
    stop: stopper(child),
  };
}
