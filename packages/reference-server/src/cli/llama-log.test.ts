import { describe, expect, it } from "vitest";
import { captureLlamaLog } from "./llama-log.js";

function fakeConsole() {
  const passed: string[] = [];
  const target = {
    warn: (...args: unknown[]) => passed.push(`warn ${args.join(" ")}`),
    info: (...args: unknown[]) => passed.push(`info ${args.join(" ")}`),
    log: (...args: unknown[]) => passed.push(`log ${args.join(" ")}`),
  };
  const logged: string[] = [];
  const capture = captureLlamaLog((level, message) => logged.push(`${level} ${message}`), target);
  return { target, passed, logged, capture };
}

describe("captureLlamaLog", () => {
  it("holds llama.cpp's lines during the load and gives the first as the reason of a failure", () => {
    const { target, passed, logged, capture } = fakeConsole();
    target.warn("\u001b[33m[node-llama-cpp]\u001b[0m llama_model_load: error loading model: key not found");
    target.warn("[node-llama-cpp] llama_model_load_from_file_impl: failed to load model");
    expect(logged).toEqual([]);
    expect(capture.failure()).toBe("llama_model_load: error loading model: key not found");
    expect(passed).toEqual([]);
  });

  it("logs the held lines once loaded, and later ones as they come", () => {
    const { target, logged, capture } = fakeConsole();
    target.warn("[node-llama-cpp] slow path");
    target.warn("[node-llama-cpp] slow path");
    capture.loaded();
    target.info("[node-llama-cpp] later");
    expect(logged).toEqual(["warn llama.cpp: slow path", "info llama.cpp: later"]);
  });

  it("leaves other console output alone", () => {
    const { target, passed, logged } = fakeConsole();
    target.warn("a warning of node's own", 3);
    target.log("plain");
    expect(passed).toEqual(["warn a warning of node's own 3", "log plain"]);
    expect(logged).toEqual([]);
  });
});
