import type { IncomingMessage } from "node:http";
import { ApiError } from "../api/errors.js";

/** Deepest nesting of arrays and objects a request may have: the parser and its libraries recurse. */
const MAX_NESTING = 64;

/** Reads and parses a JSON body of at most `limit` bytes. */
export async function readJsonBody(request: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(request.headers["content-length"] ?? Number.NaN);
  if (declared > limit) {
    throw new ApiError("body_too_large", `The request body is ${declared} bytes; the limit is ${limit}.`);
  }
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of request as AsyncIterable<Buffer>) {
    size += part.length;
    if (size > limit) throw new ApiError("body_too_large", `The request body is over the limit of ${limit} bytes.`);
    parts.push(part);
  }
  const text = Buffer.concat(parts).toString("utf8");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new ApiError(
      "invalid_json",
      `The request body is not valid JSON (${(error as Error).message}). Send a JSON object with content-type application/json.`,
    );
  }
  if (nestingDepth(body) > MAX_NESTING) {
    throw new ApiError(
      "invalid_request",
      `The request body nests arrays and objects more than ${MAX_NESTING} levels deep.`,
    );
  }
  return body;
}

/** How deep `value` nests arrays and objects, counted without recursion (stopping past the limit). */
function nestingDepth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (typeof item !== "object" || item === null) continue;
    if (depth + 1 > deepest) deepest = depth + 1;
    if (deepest > MAX_NESTING) return deepest;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return deepest;
}
