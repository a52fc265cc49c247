import { dialects } from "@chatwire/core";
import { type ProviderClientOptions, providerTransport } from "@chatwire/core/internal";
import { TextGen } from "./resources/text-gen.js";
import { VERSION } from "./version.js";

export interface OctoAIOptions extends ProviderClientOptions {
  /** OctoAI API token; `OCTOAI_TOKEN` when not given, as the Python SDK's `api_key`. */
  apiKey?: string | undefined;
  /**
   * The text-gen API's root, as the Python SDK's `environment.text_gen`; requests go to
   * `<it>/v1/chat/completions`. `OCTOAI_BASE_URL`, then `https://text.octoai.run`, when not given.
   */
  baseURL?: string | undefined;
}

/**
 * OctoAI text generation, shaped like the Python SDK's `OctoAI`:
 * `new OctoAI().textGen.createChatCompletion({ model, messages })`.
 */
export class OctoAI {
  readonly textGen: TextGen;

  constructor(options: OctoAIOptions = {}) {
    const { apiKey, ...rest } = options;
    const { http, chatPath } = providerTransport(
      { dialect: dialects.octoai, clientName: "OctoAI", keyOption: "apiKey", version: VERSION },
      apiKey,
      rest,
    );
    this.textGen = new TextGen(http, chatPath);
  }
}
