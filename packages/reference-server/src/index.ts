export type { GpuChoice, RuntimeOptions } from "./engine/runtime.js";
export { type RunningServer, type ServerOptions, startServer } from "./http/server.js";
export { cacheDir, DEFAULT_MODEL_ID, ensureDefaultModel } from "./model/default-model.js";
export { writeGGUF } from "./model/gguf.js";
export { buildTinyModel, CHATML_TEMPLATE, type TinyModelOptions } from "./model/tiny-model.js";
