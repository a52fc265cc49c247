import { dialects } from "@chatwire/core";
import { type ProviderClientOptions, providerTransport } from "@chatwire/core/internal";
import { ChatCompletions } from "./resources/chat-completions.js";
import { VERSION } from "./version.js";

export interface GradientOptions extends ProviderClientOptions {
  /** Model access key; `GRADIENT_MODEL_ACCESS_KEY` when not given. */
  modelAccessKey?: string | undefined;
  /** The same as `modelAccessKey`, under the name other SDKs use. */
  apiKey?: string | undefined;
  /** Serverless inference root; `GRADIENT_BASE_URL`, then `https://inference.do-ai.run`, when not given. */
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
    const transport = providerTransport(
      { dialect: dialects.gradient, clientName: "Gradient", keyOption: "modelAccessKey", version: VERSION },
      modelAccessKey ?? apiKey,
      rest,
    );
    this.chat = { completions: new ChatCompletions(transport) };
  }
}
