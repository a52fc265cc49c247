import type { LoraFile } from "../engine/runtime.js";

/**
 * The body of every model-list route: the served model, then each LoRA adapter a request may name
 * (OctoAI's `peft`). An adapter's entry says whose adapter it is in `parent`, as vLLM lists its LoRA
 * adapters; its file's path stays out, since the bare `/v1/models` is open to anyone.
 */
export function modelList(modelId: string, loras: readonly LoraFile[]) {
  const entry = (id: string) => ({ id, object: "model", created: 0, owned_by: "chatwire" });
  return {
    object: "list",
    data: [entry(modelId), ...loras.map(({ name }) => ({ ...entry(name), parent: modelId }))],
  };
}
