import { type DialectId, dialects, type ErrorBody, type PredictionGuardErrorBody } from "@chatwire/core";
import type { ApiError } from "../api/errors.js";

/** The error body in the dialect's shape (dialects.json `stream.error_shape`). */
export function errorBody(dialect: DialectId, error: ApiError): ErrorBody | PredictionGuardErrorBody {
  if (dialects[dialect].stream.error_shape === "string") return { error: error.message };
  return { error: { message: error.message, type: error.type, param: error.param, code: error.code } };
}
