import type { ServerResponse } from "node:http";
import type { Token } from "node-llama-cpp";
import { parseDetokenize, parseTokenize } from "../api/parse-tokenize.js";
import type { Runtime } from "../engine/runtime.js";
import type { TokenPiece } from "../engine/token-pieces.js";
import { sendJSON } from "./send-json.js";

/**
 * llama-server's `POST /tokenize` and `POST /detokenize`, answered the same way, so a client (the
 * conformance checker, for one) can learn the served model's token ids, e.g. for a `logit_bias`.
 */
export function serveTokenize(
  runtime: Runtime,
  kind: "tokenize" | "detokenize",
  body: unknown,
  response: ServerResponse,
  maxBytes: number,
): number {
  if (kind === "detokenize") {
    const { tokens } = parseDetokenize(body, runtime.vocabularySize, runtime.options.contextSize);
    sendJSON(response, 200, { content: runtime.detokenize(tokens as Token[]) });
    return 0;
  }
  const task = parseTokenize(body, maxBytes);
  const tokens = runtime.tokenizeText(task.content, task.addSpecial, task.parseSpecial);
  if (!task.withPieces) {
    sendJSON(response, 200, { tokens });
    return 0;
  }
  // A text repeats its tokens: each piece is worked out once.
  const pieces = new Map<Token, TokenPiece>();
  const piece = (id: Token): TokenPiece => {
    let found = pieces.get(id);
    if (found === undefined) {
      found = runtime.tokenPiece(id);
      pieces.set(id, found);
    }
    return found;
  };
  sendJSON(response, 200, { tokens: tokens.map((id) => ({ id, piece: piece(id) })) });
  return 0;
}
