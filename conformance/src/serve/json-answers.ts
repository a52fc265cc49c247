import type { ServerResponse } from "node:http";
import { type DialectId, dialects } from "@chatwire/core";

/** What the fixture server refused, for programs: `code` in every error answer. */
type RefusalCode =
  | "unknown_case"
  | "request_mismatch"
  | "invalid_json"
  | "body_timeout"
  | "body_too_large"
  | "unsupported_media_type"
  | "server_error";

export interface ErrorAnswer {
  status: number;
  code: RefusalCode;
  message: string;
  /** The case's dialect, when the path names a known one: the error takes that dialect's shape. */
  dialect?: DialectId | undefined;
  /** More fields beside `error`, such as the differences found. */
  details?: Record<string, unknown>;
  /** Reading stopped partway through the request body, so the connection is closed after the answer. */
  closeConnection?: boolean;
}

/**
 * Answers with an error body the dialect's SDK reads its message from (an object with `message`,
 * or Prediction Guard's plain string), `code` and the details beside it.
 */
export function answerError(response: ServerResponse, answer: ErrorAnswer): void {
  answerJSON(response, answer.status, errorBody(answer), answer.closeConnection);
}

/** The body of an error answer, in the dialect's shape: what `answerError` sends. */
export function errorBody(answer: ErrorAnswer): Record<string, unknown> {
  const shape = answer.dialect ? dialects[answer.dialect].stream.error_shape : "object";
  const error =
    shape === "string"
      ? answer.message
      : {
          message: answer.message,
          type: errorType(answer.status),
          code: answer.code,
        };
  return { error, code: answer.code, ...answer.details };
}

/** The OpenAI-style error type of a status, as the object-shaped dialects name them. */
function errorType(status: number): string {
  if (status >= 500) return "server_error";
  return status === 404 ? "not_found_error" : "invalid_request_error";
}

export function answerJSON(response: ServerResponse, status: number, body: unknown, closeConnection = false): void {
  const text = `${JSON.stringify(body, null, 2)}\n`;
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...(closeConnection && { connection: "close" }),
  });
  response.end(text);
}
