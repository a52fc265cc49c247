import { checkGGUFFile } from "./gguf-check.js";

/**
 * Checks that `path` is a sound GGUF file holding a LoRA adapter (`general.type` "adapter",
 * `adapter.type` "lora", as llama.cpp's convert_lora_to_gguf.py writes them) before llama.cpp loads
 * it; throws an error that names the file and says what it is instead. Whether the adapter fits the
 * base model only llama.cpp can tell, when it loads it.
 */
export function checkLoraFile(path: string): void {
  const { strings } = checkGGUFFile(path);
  const generalType = strings.get("general.type");
  if (generalType !== "adapter") {
    throw new Error(
      `${path} is not a LoRA adapter: its general.type is ${generalType === undefined ? "missing" : JSON.stringify(generalType)}, not "adapter" (a base model? give an adapter GGUF, e.g. one from llama.cpp's convert_lora_to_gguf.py or chatwire-server make-model --adapter)`,
    );
  }
  const adapterType = strings.get("adapter.type");
  if (adapterType !== "lora") {
    throw new Error(
      `${path} is an adapter but not a LoRA one: its adapter.type is ${adapterType === undefined ? "missing" : JSON.stringify(adapterType)}, not "lora"`,
    );
  }
}
