import type { DialectId } from "@chatwire/core";

/** An error the server answers with: status, the dialect's error body, and headers. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The error body of a dialect: `{"error":{message,type,param,code}}`, or Prediction Guard's `{"error":"..."}`. */
export function errorBody(dialect: DialectId, error: HttpError): unknown {
  if (dialect === "predictionguard") return { error: error.message };
  return { error: { message: error.message, type: error.type, param: error.param, code: error.code } };
}
