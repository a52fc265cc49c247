import { dialects } from "@chatwire/core";
import { isObject } from "../json.js";
import { type Exchange, excerpt } from "./exchange.js";
import { PROBE_LABELS } from "./probe-requests.js";
import type { Probes } from "./probes.js";
import { readStream } from "./stream-read.js";

/** Why an answer is of no use to any check, or undefined when it is of use. */
function uselessBecause(exchange: Exchange, stream: boolean, sentinel: string | null): string | undefined {
  if (exchange.kind === "failed") return exchange.error;
  const status = `HTTP ${exchange.status} ${exchange.contentType || "without a content type"}`;
  if (exchange.status < 200 || exchange.status > 299) return `${status}: ${excerpt(exchange.text ?? "") || "(empty)"}`;
  if (stream) {
    const read = readStream("", exchange.contentType, exchange.events ?? [], sentinel);
    return read.chunks.length > 0 ? undefined : `${status} with ${read.events.length} events and no JSON chunk`;
  }
  let body: unknown;
  try {
    body = JSON.parse(exchange.text ?? "");
  } catch {
    return `${status}, not JSON: ${excerpt(exchange.text ?? "") || "(empty)"}`;
  }
  return isObject(body) ? undefined : `${status}, JSON but not an object: ${excerpt(exchange.text ?? "")}`;
}

/** What to try when the first answers were all of one kind. */
function hint(exchanges: readonly Exchange[], chatPath: string): string {
  const statuses = new Set(exchanges.map((exchange) => (exchange.kind === "answered" ? exchange.status : 0)));
  if (statuses.has(404)) {
    return ` Is --base-url right? The dialect's chat path (${chatPath}) is appended to it, as the SDKs do.`;
  }
  if (statuses.has(401) || statuses.has(403)) return " Is --api-key right?";
  if (exchanges.every((exchange) => exchange.kind === "failed" && /no complete answer/.test(exchange.error))) {
    return " The backend accepted the requests but did not answer them in time (--timeout).";
  }
  return "";
}

/**
 * Whether the backend can be checked at all, judged on the first two probes (the plain stream and
 * the plain reply): when neither gives anything a check can read (unreachable, refused, a web page,
 * no answer in time), every check would only repeat that, so the run stops with one message naming
 * the URL and what came back. Undefined when at least one of them is of use.
 */
export async function unusableReason(probes: Probes): Promise<string | undefined> {
  const sentinel = dialects[probes.dialect].stream.done_sentinel;
  const stream = await probes.exchange("plainStream");
  const reply = await probes.exchange("plainResponse");
  const streamWhy = uselessBecause(stream, true, sentinel);
  const replyWhy = uselessBecause(reply, false, sentinel);
  if (streamWhy === undefined || replyWhy === undefined) return undefined;
  // The failures quote the probe's label; the message names each probe once, in front of what it got.
  const unlabelled = (why: string, label: string) => why.replace(` (${label})`, "");
  const streamGot = unlabelled(streamWhy, PROBE_LABELS.plainStream);
  const replyGot = unlabelled(replyWhy, PROBE_LABELS.plainResponse);
  const what =
    streamGot === replyGot
      ? `${PROBE_LABELS.plainStream} and ${PROBE_LABELS.plainResponse}: ${replyGot}`
      : `${PROBE_LABELS.plainStream}: ${streamGot}; ${PROBE_LABELS.plainResponse}: ${replyGot}`;
  return `the backend cannot be checked: nothing came back from POST ${probes.target.chatURL} that a check can judge (${what}).${hint([stream, reply], dialects[probes.dialect].chat_path)}`;
}
