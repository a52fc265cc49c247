import type { LoraFile } from "../engine/runtime.js";
import { UsageError } from "./parse-args.js";

/** Throws a usage error when two `--lora` adapters share a name: a request's `peft` could mean either. */
export function checkLoraNames(loras: readonly LoraFile[]): void {
  const paths = new Map<string, string>();
  for (const { name, path } of loras) {
    const earlier = paths.get(name);
    if (earlier !== undefined) {
      throw new UsageError(
        `--lora names ${JSON.stringify(name)} twice (${earlier} and ${path}); give each adapter a name of its own`,
      );
    }
    paths.set(name, path);
  }
}
