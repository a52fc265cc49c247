import { type DialectId, dialects } from "@chatwire/core";

/** What a request path is for. */
export type Route =
  | { kind: "health" }
  | { kind: "metrics" }
  | { kind: "models"; dialect: DialectId | undefined }
  | { kind: "chat"; dialect: DialectId }
  | { kind: "tokenize" | "detokenize"; dialect: DialectId | undefined };

/** llama-server's tokenizer routes: at the root, as llama-server serves them, and under each dialect's prefix. */
const TOKENIZER_ROUTES = ["tokenize", "detokenize"] as const;

/**
 * Every route the server answers, built from spec/dialects.json: each dialect's chat and model-list
 * paths under `/<dialect id>`, plus the unprefixed OpenAI paths for the default dialect. `/tokenize`
 * and `/detokenize` are at the root and under every prefix, so a client given a dialect's base URL
 * finds them there as it finds them at a llama-server's root.
 */
export function buildRoutes(defaultDialect: DialectId): ReadonlyMap<string, Route> {
  const routes = new Map<string, Route>([
    ["/health", { kind: "health" }],
    ["/metrics", { kind: "metrics" }],
    ["/v1/models", { kind: "models", dialect: undefined }],
    ["/v1/chat/completions", { kind: "chat", dialect: defaultDialect }],
  ]);
  for (const kind of TOKENIZER_ROUTES) routes.set(`/${kind}`, { kind, dialect: undefined });
  for (const dialect of Object.values(dialects)) {
    for (const kind of TOKENIZER_ROUTES) routes.set(`/${dialect.id}/${kind}`, { kind, dialect: dialect.id });
    routes.set(`/${dialect.id}${dialect.chat_path}`, { kind: "chat", dialect: dialect.id });
    for (const path of dialect.model_list_paths)
      routes.set(`/${dialect.id}${path}`, { kind: "models", dialect: dialect.id });
  }
  return routes;
}

/** The method each kind of route takes. */
export const ROUTE_METHOD: Record<Route["kind"], "GET" | "POST"> = {
  health: "GET",
  metrics: "GET",
  models: "GET",
  chat: "POST",
  tokenize: "POST",
  detokenize: "POST",
};

/** The dialect an error on `route` is written in. */
export function routeDialect(route: Route | undefined, defaultDialect: DialectId): DialectId {
  return route && "dialect" in route && route.dialect ? route.dialect : defaultDialect;
}
