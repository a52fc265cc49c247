import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";
import { ApiError } from "../api/errors.js";

/**
 * Checks that keep a web page from using a developer's local server: a cross-site form or
 * `text/plain` POST (sent without a CORS preflight), a foreign `Origin`, and DNS rebinding (a
 * foreign `Host` reaching a loopback address).
 */
export interface RequestGuard {
  /** Origins besides loopback ones that may call; `*` allows every origin. */
  allowedOrigins: readonly string[];
  /** The address the server listens on. */
  host: string;
}

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, "");
  if (LOOPBACK_NAMES.has(name) || name.endsWith(".localhost")) return true;
  const bare = name.replace(/^\[|\]$/g, "");
  if (isIP(bare) === 4) return bare.startsWith("127.");
  return bare === "::1" || bare === "0:0:0:0:0:0:0:1";
}

/** The host name of a `Host` header value, without the port. */
function hostName(header: string): string {
  if (header.startsWith("[")) return header.slice(0, header.indexOf("]") + 1);
  const colon = header.lastIndexOf(":");
  return colon >= 0 && header.indexOf(":") === colon ? header.slice(0, colon) : header;
}

function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).hostname;
  } catch {
    return undefined;
  }
}

export function checkOrigin(request: IncomingMessage, guard: RequestGuard): void {
  if (isLoopbackHost(guard.host)) {
    const host = request.headers.host;
    if (host !== undefined && !isLoopbackHost(hostName(host))) {
      throw new ApiError(
        "misdirected_host",
        `This server listens on a loopback address and answers only loopback host names, not "${host}" (a guard against DNS rebinding). Use http://127.0.0.1 or http://localhost.`,
      );
    }
  }
  const origin = request.headers.origin;
  if (origin === undefined || guard.allowedOrigins.includes("*") || guard.allowedOrigins.includes(origin)) return;
  const host = originHost(origin);
  if (host !== undefined && isLoopbackHost(host)) return;
  throw new ApiError(
    "forbidden_origin",
    `Requests from the web origin ${origin} are refused: only loopback origins may call this server. Start it with --allow-origin ${origin} to allow that one.`,
  );
}

/** POST bodies must say they are JSON: other types are what a page can send without asking first. */
export function checkJsonBody(request: IncomingMessage): void {
  const type = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (type === "application/json") return;
  throw new ApiError(
    "unsupported_media_type",
    `The request body must be JSON, sent with content-type application/json; it came as ${type ? `"${type}"` : "no content type"}.`,
  );
}

/** Compares the bearer token with the key in constant time (hashing first evens out the lengths). */
export function checkApiKey(request: IncomingMessage, apiKey: string | undefined): void {
  if (apiKey === undefined) return;
  const header = request.headers.authorization ?? "";
  const digest = (text: string) => createHash("sha256").update(text).digest();
  if (timingSafeEqual(digest(header), digest(`Bearer ${apiKey}`))) return;
  throw new ApiError(
    "invalid_api_key",
    "Missing or wrong API key: send Authorization: Bearer <key> with the key the server was started with.",
  );
}
