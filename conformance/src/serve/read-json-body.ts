import type { IncomingMessage } from "node:http";

/** Largest request body read: far above any chat request a fixture records, small enough to hold. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;
/** How long the whole body may take to arrive once the headers are in. */
const BODY_READ_TIMEOUT_MS = 10_000;

/** Why a request is answered without comparing its body: the status and what to do instead. */
interface BodyRefusal {
  status: 400 | 408 | 413 | 415;
  code: "invalid_json" | "body_timeout" | "body_too_large" | "unsupported_media_type";
  message: string;
  /** Reading stopped partway through the body, so the connection cannot carry another request. */
  closeConnection: boolean;
}

export type BodyReading = { body: unknown } | { refusal: BodyRefusal } | { clientLeft: true };

const strictUTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The request's JSON body, or why it is refused: not sent as JSON, compressed, over
 * MAX_REQUEST_BODY_BYTES, slower than BODY_READ_TIMEOUT_MS, not UTF-8, or not JSON at all.
 */
export function readJsonBody(request: IncomingMessage): Promise<BodyReading> {
  const headerRefusal = refusalFromHeaders(request);
  if (headerRefusal) return Promise.resolve({ refusal: headerRefusal });
  return new Promise((resolve) => {
    const pieces: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (reading: BodyReading) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.off("data", onData);
      resolve(reading);
    };
    const timer = setTimeout(() => {
      request.pause();
      settle({
        refusal: {
          status: 408,
          code: "body_timeout",
          message: `The request body did not arrive within ${BODY_READ_TIMEOUT_MS / 1000} s (${size} bytes came). Send the whole body right after the headers.`,
          closeConnection: true,
        },
      });
    }, BODY_READ_TIMEOUT_MS);
    const onData = (piece: Buffer) => {
      size += piece.length;
      if (size > MAX_REQUEST_BODY_BYTES) {
        request.pause();
        settle({ refusal: tooLarge(`more than ${MAX_REQUEST_BODY_BYTES} bytes arrived`) });
        return;
      }
      pieces.push(piece);
    };
    request.on("data", onData);
    request.once("end", () => settle(parseBody(Buffer.concat(pieces))));
    request.once("close", () => settle({ clientLeft: true }));
    // An aborted upload also ends in "close"; the listener keeps the error from going unhandled.
    request.on("error", () => settle({ clientLeft: true }));
  });
}

function refusalFromHeaders(request: IncomingMessage): BodyRefusal | undefined {
  const contentType = request.headers["content-type"];
  const mediaType = contentType?.split(";")[0]?.trim().toLowerCase();
  if (mediaType !== "application/json" && !/^application\/[\w.+-]+\+json$/.test(mediaType ?? "")) {
    return {
      status: 415,
      code: "unsupported_media_type",
      message: `${contentType ? `The request's Content-Type is ${contentType}` : "The request has no Content-Type"}; send the chat request as a JSON object with Content-Type: application/json.`,
      closeConnection: false,
    };
  }
  const encoding = request.headers["content-encoding"]?.trim().toLowerCase();
  if (encoding && encoding !== "identity") {
    return {
      status: 415,
      code: "unsupported_media_type",
      message: `The request body is encoded (Content-Encoding: ${encoding}); send it uncompressed.`,
      closeConnection: false,
    };
  }
  const declared = Number(request.headers["content-length"]);
  if (declared > MAX_REQUEST_BODY_BYTES) return tooLarge(`its Content-Length is ${declared}`);
  return undefined;
}

function tooLarge(why: string): BodyRefusal {
  return {
    status: 413,
    code: "body_too_large",
    message: `The request body is too large: ${why}, and the fixture server reads at most ${MAX_REQUEST_BODY_BYTES} bytes (1 MiB). Send the fixture's request body, which is far smaller.`,
    // Not read on: the rest of a body that size is not worth taking in.
    closeConnection: true,
  };
}

function parseBody(bytes: Buffer): BodyReading {
  const invalid = (message: string): BodyReading => ({
    refusal: { status: 400, code: "invalid_json", message, closeConnection: false },
  });
  if (bytes.length === 0) return invalid("The request has no body; send the chat request as a JSON object.");
  let text: string;
  try {
    text = strictUTF8.decode(bytes);
  } catch {
    return invalid("The request body is not UTF-8; send the chat request as JSON in UTF-8.");
  }
  try {
    return { body: JSON.parse(text) };
  } catch (error) {
    return invalid(
      `The request body is not JSON (${(error as Error).message}); send the chat request as a JSON object.`,
    );
  }
}
