import { dialects } from "@chatwire/core";
import { type ProviderClientOptions, providerTransport } from "@chatwire/core/internal";
import { ChatCompletions } from "./resources/chat-completions.js";
import { VERSION } from "./version.js";

export interface PredictionGuardOptions extends ProviderClientOptions {
  /** API key, as the Python client's `api_key`; `PREDICTIONGUARD_API_KEY` when not given. */
  apiKey?: string | undefined;
  /**
   * API root, as the Python client's `url`; `PREDICTIONGUARD_URL`, then `https://api.predictionguard.com`,
   * when not given. Wins over `baseURL` when both are given.
   */
  url?: string | undefined;
  /** The same as `url`, under the name the other chatwire clients use. */
  baseURL?: string | undefined;
}

/**
 * Prediction Guard, shaped like the Python SDK's `PredictionGuard`:
 * `new PredictionGuard().chat.completions.create({ model, messages })`.
 */
export class PredictionGuard {
  readonly chat: { readonly completions: ChatCompletions };

  constructor(options: PredictionGuardOptions = {}) {
    const { apiKey, url, baseURL, ...rest } = options;
    const { http, chatPath } = providerTransport(
      { dialect: dialects.predictionguard, clientName: "PredictionGuard", keyOption: "apiKey", version: VERSION },
      apiKey,
      // `||`, not `??`: the Python client treats an empty url as not given and falls back to the env var.
      { ...rest, baseURL: url || baseURL || undefined },
    );
    this.chat = { completions: new ChatCompletions(http, chatPath) };
  }
}
