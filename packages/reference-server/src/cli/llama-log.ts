import { format, stripVTControlCharacters } from "node:util";
import type { Logger } from "../log.js";

const PREFIX = "[node-llama-cpp]";

type ConsoleLike = Pick<Console, "warn" | "info" | "log">;

/**
 * Routes node-llama-cpp's console lines (`[node-llama-cpp] ...`, llama.cpp's own messages) into the
 * CLI's log as timestamped lines. Until `loaded()` or `failure()` is called they are held back, so a
 * failed load ends in one line that carries llama.cpp's reason instead of a pile of fragments.
 */
export function captureLlamaLog(log: Logger, target: ConsoleLike = console) {
  const held: string[] = [];
  let holding = true;
  for (const method of ["warn", "info", "log"] as const) {
    const original = target[method].bind(target);
    target[method] = (...args: unknown[]) => {
      const text = stripVTControlCharacters(format(...args));
      if (!text.startsWith(PREFIX)) return original(...args);
      const message = text.slice(PREFIX.length).trim();
      if (holding) held.push(message);
      else log(method === "warn" ? "warn" : "info", `llama.cpp: ${message}`);
    };
  }
  return {
    /** The load went well: the held lines are logged, and later ones as they come. */
    loaded(): void {
      holding = false;
      for (const message of new Set(held)) log("warn", `llama.cpp: ${message}`);
      held.length = 0;
    },
    /** The load failed: llama.cpp's first message, the one that says why, if it said anything. */
    failure(): string | undefined {
      holding = false;
      return held[0];
    },
  };
}
