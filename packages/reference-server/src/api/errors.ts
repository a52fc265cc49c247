import { ConstraintConflictError } from "../engine/generate.js";
import { TemplateAltersContentError } from "../engine/prompt.js";
import { PoolBusyError } from "../engine/sequence-pool.js";

/**
 * Every way a request can fail, with its HTTP status and the OpenAI-style `type` and `code` it is
 * answered with. Nothing else in the server picks a status.
 */
const ERROR_KINDS = {
  invalid_request: { status: 400, type: "invalid_request_error", code: "invalid_request" },
  invalid_json: { status: 400, type: "invalid_request_error", code: "invalid_json" },
  context_length_exceeded: { status: 400, type: "invalid_request_error", code: "context_length_exceeded" },
  limit_exceeded: { status: 400, type: "invalid_request_error", code: "limit_exceeded" },
  unsupported_schema: { status: 400, type: "invalid_request_error", code: "unsupported_schema" },
  constraint_conflict: { status: 400, type: "invalid_request_error", code: "constraint_conflict" },
  invalid_api_key: { status: 401, type: "authentication_error", code: "invalid_api_key" },
  forbidden_origin: { status: 403, type: "permission_error", code: "forbidden_origin" },
  route_not_found: { status: 404, type: "not_found_error", code: "not_found" },
  model_not_found: { status: 404, type: "invalid_request_error", code: "model_not_found" },
  adapter_not_found: { status: 404, type: "invalid_request_error", code: "adapter_not_found" },
  method_not_allowed: { status: 405, type: "invalid_request_error", code: "method_not_allowed" },
  body_too_large: { status: 413, type: "invalid_request_error", code: "request_too_large" },
  unsupported_media_type: { status: 415, type: "invalid_request_error", code: "unsupported_media_type" },
  misdirected_host: { status: 421, type: "invalid_request_error", code: "misdirected_request" },
  server_busy: { status: 429, type: "rate_limit_error", code: "server_busy" },
  internal: { status: 500, type: "server_error", code: "internal_error" },
  unavailable: { status: 503, type: "server_error", code: "unavailable" },
} as const;

export type ErrorKind = keyof typeof ERROR_KINDS;

export interface ApiErrorOptions {
  /** The request field at fault, as a path without the leading `$.`. */
  param?: string | null;
  headers?: Record<string, string>;
}

/** A failure the server answers with: the kind decides status, `type` and `code`. */
export class ApiError extends Error {
  override name = "ApiError";
  readonly status: number;
  readonly type: string;
  readonly code: string;
  readonly param: string | null;
  readonly headers: Record<string, string>;

  constructor(
    readonly kind: ErrorKind,
    message: string,
    options: ApiErrorOptions = {},
  ) {
    super(message);
    const { status, type, code } = ERROR_KINDS[kind];
    this.status = status;
    this.type = type;
    this.code = code;
    this.param = options.param ?? null;
    this.headers = options.headers ?? {};
  }
}

/**
 * Any thrown value as an ApiError: the server's own as they are, the engine's by their class, the
 * rest as a 500 that names the cause.
 */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof ConstraintConflictError)
    return new ApiError("constraint_conflict", error.message, { param: "logit_bias" });
  if (error instanceof TemplateAltersContentError)
    return new ApiError("invalid_request", error.message, { param: "messages" });
  if (error instanceof PoolBusyError) {
    return new ApiError("server_busy", `${error.message} Retry shortly.`, { headers: { "retry-after": "1" } });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError("internal", `Internal error: ${message}. The server keeps serving; retry, or report it.`);
}
