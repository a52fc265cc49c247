import { MissingAPIKeyError } from "./errors.js";
import type { Dialect } from "./generated/dialects.js";
import { type ClientOptions, HTTPClient } from "./http/client.js";

/** Options every provider client takes, besides its API key under the provider's own name. */
export interface ProviderClientOptions
  extends Omit<ClientOptions, "baseURL" | "apiKey" | "apiKeySource" | "auth" | "userAgent"> {
  /** The API's root; the provider's base-URL env vars, then its public URL, when not given. */
  baseURL?: string | undefined;
}

/** How a provider package names itself and its key, for the transport and for error messages. */
export interface ProviderIdentity {
  dialect: Dialect;
  /** The exported client class, e.g. `Gradient`, named in the missing-key message. */
  clientName: string;
  /** The constructor option that carries the key, e.g. `modelAccessKey`. */
  keyOption: string;
  version: string;
}

/** The user agent every chatwire package sends: `chatwire/<package>/<version>`. */
export const userAgent = (packageName: string, version: string): string =>
  `chatwire/${packageName.replace(/^@chatwire\//, "")}/${version}`;

/**
 * An environment variable, where the runtime has an environment (Node, Bun, Deno with --allow-env);
 * undefined in browsers and edge runtimes, where keys are passed explicitly.
 */
export function readEnv(name: string): string | undefined {
  const runtime = globalThis as {
    process?: { env?: Record<string, string | undefined> };
    Deno?: { env?: { get(name: string): string | undefined } };
  };
  try {
    const value = runtime.process?.env?.[name] ?? runtime.Deno?.env?.get(name);
    return value?.trim() || undefined;
  } catch {
    // Deno without --allow-env throws; that is "no such variable" here.
    return undefined;
  }
}

/**
 * Where a provider client sends requests: the `baseURL` option, else the first of the dialect's
 * base-URL env vars that is set, else the dialect's public URL; with the chat path that goes with it.
 */
function resolveBaseURL(dialect: Dialect, baseURL: string | undefined): { baseURL: string; chatPath: string } {
  if (baseURL) return { baseURL, chatPath: dialect.chat_path };
  const envs: readonly { name: string; chat_path?: string }[] = dialect.base_url_env;
  for (const env of envs) {
    const value = readEnv(env.name);
    if (value) return { baseURL: value, chatPath: env.chat_path ?? dialect.chat_path };
  }
  return { baseURL: dialect.base_url, chatPath: dialect.chat_path };
}

/**
 * The transport of a provider client: key and base URL from the options or the provider's env vars,
 * auth header and user agent from its dialect; with `chatPath`, the chat endpoint's path under that
 * base URL (the dialect's `chat_path`, or the one of the env var that set the base URL, where it
 * names its own: Gradient's `GRADIENT_BASE_URL` is a root without `/v1`). Throws
 * MissingAPIKeyError, before any network call, when there is no key.
 */
export function providerTransport(
  identity: ProviderIdentity,
  apiKey: string | undefined,
  options: ProviderClientOptions,
): { http: HTTPClient; chatPath: string } {
  const { dialect, clientName, keyOption, version } = identity;
  const key = apiKey?.trim() || readEnv(dialect.api_key_env);
  if (!key) {
    throw new MissingAPIKeyError(
      `No ${dialect.name} API key: set the ${dialect.api_key_env} environment variable, or pass it as new ${clientName}({ ${keyOption}: "..." }).`,
    );
  }
  const { baseURL: baseURLOption, ...transport } = options;
  const { baseURL, chatPath } = resolveBaseURL(dialect, baseURLOption);
  const http = new HTTPClient({
    ...transport,
    baseURL,
    apiKey: key,
    apiKeySource: apiKey?.trim() ? `the ${keyOption} option` : dialect.api_key_env,
    auth: dialect.auth,
    userAgent: userAgent(dialect.package, version),
  });
  return { http, chatPath };
}
