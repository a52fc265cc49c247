import { isObject, type JsonObject } from "../json.js";
import { type ExchangeOptions, excerpt, performExchange } from "./exchange.js";

/** Where a backend may list its models: the origin's `/v1/models`, then under the base URL. */
function modelListURLs(baseURL: string): string[] {
  const base = baseURL.replace(/\/+$/, "");
  const urls = [`${new URL(base).origin}/v1/models`, `${base}/v1/models`, `${base}/models`];
  return [...new Set(urls)];
}

/** The entries of an OpenAI-style list (`{"data": [{"id": ...}]}`) that have a model id. */
function modelEntries(text: string): JsonObject[] {
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    return [];
  }
  const data: unknown[] = isObject(list) && Array.isArray(list.data) ? list.data : [];
  return data.filter(
    (entry): entry is JsonObject => isObject(entry) && typeof entry.id === "string" && entry.id !== "",
  );
}

/** A backend's model list: where it answered, and its entries, each with an `id`. */
export interface ModelList {
  url: string;
  entries: JsonObject[];
}

/**
 * The first model list that answers with a model id, or, when none does, every place tried and
 * what came back there.
 */
export async function readModelList(
  baseURL: string,
  headers: Record<string, string>,
  options: ExchangeOptions,
): Promise<ModelList | { tried: string }> {
  const tried: string[] = [];
  for (const url of modelListURLs(baseURL)) {
    const exchange = await performExchange({ method: "GET", url, headers, stream: false }, options);
    if (exchange.kind === "failed") {
      // Unreachable or silent: the other paths are on the same backend, and would only wait as long.
      tried.push(exchange.error);
      break;
    }
    const entries = exchange.status === 200 ? modelEntries(exchange.text ?? "") : [];
    if (entries.length > 0) return { url, entries };
    tried.push(`GET ${url} answered HTTP ${exchange.status}: ${excerpt(exchange.text ?? "", 120)}`);
  }
  return { tried: tried.join("; ") };
}

/**
 * The model to test when none was given: the first one the backend lists. Throws, naming every
 * place tried and what came back, when no list answers: the run cannot go on without a model.
 */
export async function discoverModel(
  baseURL: string,
  headers: Record<string, string>,
  options: ExchangeOptions,
): Promise<string> {
  const list = await readModelList(baseURL, headers, options);
  const first = "entries" in list ? list.entries[0] : undefined;
  if (first) return first.id as string;
  throw new Error(
    `could not find a model to check: no model list answered with a model id (${"tried" in list ? list.tried : ""}). Pass the model id with --model.`,
  );
}

/**
 * The LoRA adapters a model list names for `model`: entries whose `parent` is that model, as vLLM
 * lists the adapters it serves (`--lora-modules`) after their base model.
 */
export function adaptersOf(list: ModelList, model: string): string[] {
  return list.entries.filter((entry) => entry.parent === model).map((entry) => entry.id as string);
}
