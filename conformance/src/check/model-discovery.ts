import { isObject } from "../json.js";
import { excerpt, performExchange } from "./exchange.js";

/** Where a backend may list its models: the origin's `/v1/models`, then under the base URL. */
function modelListURLs(baseURL: string): string[] {
  const base = baseURL.replace(/\/+$/, "");
  const urls = [`${new URL(base).origin}/v1/models`, `${base}/v1/models`, `${base}/models`];
  return [...new Set(urls)];
}

/** The first model id of an OpenAI-style list (`{"data": [{"id": ...}]}`), if any. */
function firstModelId(text: string): string | undefined {
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    return undefined;
  }
  const data = isObject(list) && Array.isArray(list.data) ? list.data : [];
  const first: unknown = data[0];
  return isObject(first) && typeof first.id === "string" && first.id !== "" ? first.id : undefined;
}

/**
 * The model to test when none was given: the first one the backend lists. Throws, naming every
 * place tried and what came back, when no list answers: the run cannot go on without a model.
 */
export async function discoverModel(
  baseURL: string,
  headers: Record<string, string>,
  options: { fetch: typeof fetch; timeoutMs: number },
): Promise<string> {
  const tried: string[] = [];
  for (const url of modelListURLs(baseURL)) {
    const exchange = await performExchange({ method: "GET", url, headers, stream: false }, options);
    if (exchange.kind === "failed") {
      // Unreachable or silent: the other paths are on the same backend, and would only wait as long.
      tried.push(exchange.error);
      break;
    }
    const id = exchange.status === 200 ? firstModelId(exchange.text ?? "") : undefined;
    if (id !== undefined) return id;
    tried.push(`GET ${url} answered HTTP ${exchange.status}: ${excerpt(exchange.text ?? "", 120)}`);
  }
  throw new Error(
    `could not find a model to check: no model list answered with a model id (${tried.join("; ")}). Pass the model id with --model.`,
  );
}
