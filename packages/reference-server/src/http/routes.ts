import { type DialectId, dialects } from "@chatwire/core";

/** What a request path is for. */
export type Route =
  | { kind: "health" }
  | { kind: "metrics" }
  | { kind: "models"; dialect: DialectId | undefined }
  | { kind: "chat"; dialect: DialectId };

/**
 * Every route the server answers, built from spec/dialects.json: each dialect's chat and model-list
 * paths under `/<dialect id>`, plus the unprefixed OpenAI paths for the default dialect.
 */
export function buildRoutes(defaultDialect: DialectId): ReadonlyMap<string, Route> {
  const routes = new Map<string, Route>([
    ["/health", { kind: "health" }],
    ["/metrics", { kind: "metrics" }],
    ["/v1/models", { kind: "models", dialect: undefined }],
    ["/v1/chat/completions", { kind: "chat", dialect: defaultDialect }],
  ]);
  for (const dialect of Object.values(dialects)) {
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
};

/** The dialect an error on `route` is written in. */
export function routeDialect(route: Route | undefined, defaultDialect: DialectId): DialectId {
  return route && "dialect" in route && route.dialect ? route.dialect : defaultDialect;
}
