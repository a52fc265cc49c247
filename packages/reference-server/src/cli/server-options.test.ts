import { describe, expect, it } from "vitest";
import type { LogLevel } from "../log.js";
import { parseCommandLine } from "./parse-args.js";
import { serverOptions } from "./server-options.js";

describe("serverOptions", () => {
  const log = (_level: LogLevel, _message: string) => {};
  const progress = (_fraction: number) => {};

  it("passes every option to startServer", () => {
    const line = parseCommandLine(
      ["-m", "/models/Qwen2.5-0.5B.Q4_K_M.GGUF", "--send-timeout", "12", "--allow-origin", "*", "--gpu", "off"],
      { CHATWIRE_API_KEY: "k", CHATWIRE_DIALECT: "predictionguard" },
    );
    const options = serverOptions(line, "/checked.gguf", log, progress);
    expect(options).toMatchObject({
      modelPath: "/checked.gguf",
      modelId: "Qwen2.5-0.5B.Q4_K_M",
      dialect: "predictionguard",
      gpu: "off",
      apiKey: "k",
      sendTimeoutMs: 12_000,
      allowedOrigins: ["*"],
    });
    expect(options.log).toBe(log);
    expect(options.onLoadProgress).toBe(progress);
  });

  it("uses the defaults and the generated model's id", () => {
    const options = serverOptions(parseCommandLine([], {}), "/cache/chatwire-tiny-abc.gguf", log);
    expect(options).toMatchObject({
      modelId: "chatwire-tiny",
      host: "127.0.0.1",
      port: 8080,
      dialect: "gradient",
      gpu: "auto",
      threads: 1,
      parallel: 8,
      contextSize: 4096,
      sendTimeoutMs: 30_000,
      maxBodyBytes: 1024 * 1024,
      maxQueue: 64,
    });
    expect(options.apiKey).toBeUndefined();
    expect(options.allowedOrigins).toBeUndefined();
  });
});
