import { type APIError, type APIErrorContext, errorClassForStatus } from "../errors.js";

/** Error bodies past this size are cut: an error page must not cost unbounded memory. */
const MAX_ERROR_BODY_BYTES = 1024 * 1024;

const REQUEST_ID_HEADERS = ["x-request-id", "request-id", "x-amzn-requestid", "cf-ray"];

export function requestIdOf(headers: Headers): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers.get(name);
    if (value) return value;
  }
  return undefined;
}

/** Reads at most `limit` bytes of a body as text, cancelling the rest. */
export async function readTextBounded(
  response: Response,
  limit: number = MAX_ERROR_BODY_BYTES,
): Promise<{ text: string; truncated: boolean }> {
  if (!response.body) return { text: "", truncated: false };
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      parts.push(decoder.decode(value, { stream: true }));
      if (bytes > limit) {
        // Not awaited: some fetch implementations never settle a cancel; the bytes we keep are enough.
        reader.cancel().catch(() => {});
        return { text: parts.join(""), truncated: true };
      }
    }
    parts.push(decoder.decode());
    return { text: parts.join(""), truncated: false };
  } finally {
    reader.releaseLock();
  }
}

/**
 * The provider's own words from an error body, in any of the shapes providers use:
 * `{"error": {"message": ...}}`, `{"error": "..."}`, `{"message": ...}`, `{"detail": ...}`.
 */
export function providerMessage(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const error = record.error;
  if (typeof error === "string") return error;
  if (typeof error === "object" && error !== null) {
    const message = (error as Record<string, unknown>).message;
    if (typeof message === "string") return message;
  }
  for (const key of ["message", "detail"]) {
    const value = record[key];
    if (typeof value === "string") return value;
    if (value !== undefined) return JSON.stringify(value);
  }
  return undefined;
}

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/**
 * The provider's `code`, `param` and `type` from an error body, in the shapes that carry them: the
 * OpenAI shape's `error` object (`{"error": {"message", "type", "param", "code"}}`: the spec's
 * ErrorBody, Gradient's), or the body itself where it has no `error` (OctoAI's `ErrorResponse`,
 * vLLM's `{"object": "error", "message", "type", "param", "code"}`). Prediction Guard's
 * `{"error": "..."}`, FastAPI's `{"detail": ...}` and a text body carry none. A value of a type
 * the field cannot have is left out, not converted; `code` stays a string or a number as it came.
 */
export function errorFields(body: unknown): Pick<APIErrorContext, "code" | "param" | "type"> {
  const record = asRecord(body);
  const fields = record && (record.error === undefined ? record : asRecord(record.error));
  if (!fields) return {};
  const { code, param, type } = fields;
  return {
    code: typeof code === "string" || typeof code === "number" || code === null ? code : undefined,
    param: typeof param === "string" || param === null ? param : undefined,
    type: typeof type === "string" ? type : undefined,
  };
}

function whatToDo(status: number, keyHint: string): string {
  if (status === 401) return `Check the API key (${keyHint}).`;
  if (status === 403)
    return "The key is valid but not allowed to do this: check its permissions and the model's access.";
  if (status === 404) return "Check the model name and the base URL.";
  if (status === 429) return "Slow down, or raise the rate limit; maxRetries controls automatic retries.";
  if (status === 400 || status === 422) return "Fix the request as the message says.";
  if (status >= 500) return "The provider failed; try again later, or raise maxRetries.";
  return "See the response body for details.";
}

/** JSON.parse without throwing: the value, or why the text is not JSON. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

/** The parsed body, or the text itself when it is not JSON (an HTML error page, a proxy's message). */
export function parseJsonOrText(text: string): unknown {
  const parsed = parseJson(text);
  return parsed.ok ? parsed.value : text;
}

/** A snippet of a body that is not JSON: enough to recognise an HTML error page or a proxy's text. */
function describeNonJson(rawBody: string, contentType: string | null): string {
  const kind = contentType?.includes("html") || /^\s*</.test(rawBody) ? "HTML" : "text";
  const snippet = rawBody.replace(/\s+/g, " ").trim().slice(0, 200);
  return `the server answered with ${kind}, not JSON${snippet ? `: "${snippet}"` : " (empty body)"}`;
}

export interface FailedExchange {
  method: string;
  url: string;
  response: Response;
  /** The headers as the error shows them (the key redacted); the response's own when not given. */
  headers?: Headers | undefined;
  rawBody: string;
  retries: number;
  keyHint: string;
}

/** `text` ending in a full stop, without doubling one the provider already wrote. */
function sentence(text: string): string {
  return /[.!?]$/.test(text.trimEnd()) ? text.trimEnd() : `${text}.`;
}

/** The typed error for a non-2xx response, with a message that says what was sent, what came back and what to do. */
export function errorFromResponse({
  method,
  url,
  response,
  headers = response.headers,
  rawBody,
  retries,
  keyHint,
}: FailedExchange): APIError {
  const body = parseJsonOrText(rawBody);
  const said =
    providerMessage(body) ??
    (typeof body === "string" ? describeNonJson(rawBody, headers.get("content-type")) : rawBody);
  const requestId = requestIdOf(headers);
  const afterRetries = retries > 0 ? ` after ${retries} ${retries === 1 ? "retry" : "retries"}` : "";
  const message =
    `${method} ${url} failed with ${response.status}${response.statusText ? ` ${response.statusText}` : ""}${afterRetries}: ${sentence(said)} ` +
    `${whatToDo(response.status, keyHint)}${requestId ? ` (request id ${requestId})` : ""}`;
  const ErrorClass = errorClassForStatus(response.status);
  return new ErrorClass(message, {
    status: response.status,
    headers,
    requestId,
    body,
    rawBody,
    ...errorFields(body),
  });
}
