import { dialects } from "@chatwire/core";
import { type ProviderClientOptions, providerTransport } from "@chatwire/core/internal";
import { ChatCompletions } from "./resources/chat-completions.js";
import { VERSION } from "./version.js";

export interface GradientOptions extends ProviderClientOptions {
  /** Model access key; `GRADIENT_MODEL_ACCESS_KEY` when not given. */
  modelAccessKey?: string | undefined;
  /** The same as `modelAccessKey`, under the name other SDKs use. */
  apiKey?: string | undefined;
  /**
   * Serverless inference root, under which requests go to `/v1/chat/completions` (the Python SDK's
   * `inference_endpoint`). When not given: `GRADIENT_BASE_URL`, a root without `/v1` as the Python
   * SDK's `base_url` (requests go to `<it>/chat/completions`), then `GRADIENT_INFERENCE_ENDPOINT`,
   * then `https://inference.do-ai.run`.
   */
  baseURL?: string | undefined;
}

/**
 * DigitalOcean Gradient serverless inference, shaped like the Python SDK's `Gradient`:
 * `new Gradient().chat.completions.create({ model, messages })`.
 */
export class Gradient {
  readonly chat: { readonly completions: ChatCompletions };

  constructor(options: GradientOptions = {}) {
    const { modelAccessKey, apiKey, ...rest } = options;
    const { http, chatPath } = providerTransport(
      { dialect: dialects.gradient, clientName: "Gradient", keyOption: "modelAccessKey", version: VERSION },
      modelAccessKey ?? apiKey,
      rest,
    );
    this.chat = { completions: new ChatCompletions(http, chatPath) };
  }
}
