import { ApiError } from "./errors.js";

/** `POST /tokenize`, as llama-server takes it (tools/server/README.md). */
export interface TokenizeTask {
  content: string;
  /** Insert the model's BOS (and EOS where its tokenizer appends one). llama-server's default: false. */
  addSpecial: boolean;
  /** Text that spells a special token becomes that token. llama-server's default: true. */
  parseSpecial: boolean;
  /** Answer `{id, piece}` objects instead of bare ids. llama-server's default: false. */
  withPieces: boolean;
}

/** `POST /detokenize`: token ids back to text. */
export interface DetokenizeTask {
  tokens: number[];
}

function object(body: unknown, route: string): Record<string, unknown> {
  if (typeof body === "object" && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
  throw new ApiError("invalid_request", `The body of ${route} must be a JSON object.`);
}

/** A boolean option; null or absent is the default, as for every optional field. */
function flag(body: Record<string, unknown>, name: string, fallback: boolean): boolean {
  const value = body[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value === "boolean") return value;
  throw new ApiError("invalid_request", `${name} must be a boolean; it is ${JSON.stringify(value)}.`, {
    param: name,
  });
}

/**
 * `maxBytes` is the chat routes' prompt limit: more text than that cannot fit the context, and
 * tokenizing it would hold the event loop for longer than any other request may.
 */
export function parseTokenize(body: unknown, maxBytes: number): TokenizeTask {
  const fields = object(body, "/tokenize");
  if (typeof fields.content !== "string") {
    throw new ApiError("invalid_request", "content must be the text to tokenize, a string.", { param: "content" });
  }
  const bytes = Buffer.byteLength(fields.content);
  if (bytes > maxBytes) {
    throw new ApiError(
      "limit_exceeded",
      `content is ${bytes} bytes; no more than ${maxBytes} can fit this server's context, so no more is tokenized.`,
      { param: "content" },
    );
  }
  return {
    content: fields.content,
    addSpecial: flag(fields, "add_special", false),
    parseSpecial: flag(fields, "parse_special", true),
    withPieces: flag(fields, "with_pieces", false),
  };
}

/** Token ids must be ids of the served model (anything else has no text), no more than a context holds. */
export function parseDetokenize(body: unknown, vocabularySize: number, maxTokens: number): DetokenizeTask {
  const fields = object(body, "/detokenize");
  const tokens = fields.tokens;
  if (!Array.isArray(tokens)) {
    throw new ApiError("invalid_request", "tokens must be a list of token ids.", { param: "tokens" });
  }
  if (tokens.length > maxTokens) {
    throw new ApiError(
      "limit_exceeded",
      `tokens holds ${tokens.length} ids; no more than ${maxTokens}, this server's context, are detokenized at once.`,
      { param: "tokens" },
    );
  }
  tokens.forEach((token, index) => {
    if (!Number.isInteger(token) || (token as number) < 0 || (token as number) >= vocabularySize) {
      throw new ApiError(
        "invalid_request",
        `tokens[${index}] is ${JSON.stringify(token)}; token ids of this model are integers from 0 to ${vocabularySize - 1}.`,
        { param: `tokens[${index}]` },
      );
    }
  });
  return { tokens: tokens as number[] };
}
