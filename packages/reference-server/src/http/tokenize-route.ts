import type { ServerResponse } from "node:http";
import type { Token } from "node-llama-cpp";
import { parseDetokenize, parseTokenize } from "../api/parse-tokenize.js";
import type { Runtime } from "../engine/runtime.js";
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
): number {
  if (kind === "detokenize") {
    const { tokens } = parseDetokenize(body, runtime.vocabularySize);
    sendJSON(response, 200, { content: runtime.detokenize(tokens as Token[]) });
    return 0;
  }
  const task = parseTokenize(body);
  const tokens = runtime.tokenizeText(task.content, task.addSpecial, task.parseSpecial);
  sendJSON(response, 200, {
    tokens: task.withPieces ? tokens.map((id) => ({ id, piece: runtime.tokenPiece(id) })) : tokens,
  });
  return 0;
}
