import { APIConnectionError, APIError, APITimeoutError, type ChatwireError, StreamError } from "@chatwire/core";
import { retryAfterMs } from "@chatwire/core/internal";
import { Gradient } from "@chatwire/gradient";
import { OctoAI } from "@chatwire/octoai";
import { PredictionGuard } from "@chatwire/predictionguard";
import type { ProtocolError } from "../drivers/protocol.js";
import { type ErrorKind, errorKindForStatus, type Fixture } from "../fixture.js";
import type { SDKOutcome } from "./compare.js";

export interface SDKCallOptions {
  baseURL: string;
  apiKey: string;
  /** Answers the SDK's requests (replay: the fixture's response); the global fetch when not given. */
  fetch?: typeof fetch | undefined;
}

/** An SDK call from a fixture's request body: streamed or not, as the body says. */
type SDKCall = (body: Record<string, unknown>, options: SDKCallOptions) => Promise<SDKOutcome>;

/** Anything iterable that can be reduced to one completion afterwards, as each SDK's stream can. */
interface ReplayStream {
  [Symbol.asyncIterator](): AsyncIterator<unknown>;
  finalCompletion(): Promise<unknown>;
}

// Retries off: a fixture holds one response, and the SDK's reading of it is what is under test.
const common = (options: SDKCallOptions) => ({ ...options, maxRetries: 0 });

const SDK_CALLS: Record<Fixture["dialect"], SDKCall> = {
  gradient: (body, options) => {
    const client = new Gradient(common(options));
    if (body.stream === true)
      return readStream(
        () => client.chat.completions.create(body as never),
        (item) => item,
      );
    return readCompletion(() => client.chat.completions.create(body as never));
  },
  octoai: (body, options) => {
    const client = new OctoAI(common(options));
    if (body.stream === true) {
      return readStream(
        () => client.textGen.createChatCompletionStream(body as never),
        (item) => item,
      );
    }
    return readCompletion(() => client.textGen.createChatCompletion(body as never));
  },
  predictionguard: (body, options) => {
    const client = new PredictionGuard(common(options));
    if (body.stream === true) {
      return readStream(
        () => client.chat.completions.create(body as never),
        (item) => (item as { data: unknown }).data,
      );
    }
    return readCompletion(() => client.chat.completions.create(body as never));
  },
};

/** Runs the dialect's SDK on the fixture's request body against `baseURL`. */
export function driveSDK(
  fixture: Pick<Fixture, "dialect"> & { request: Pick<Fixture["request"], "body"> },
  options: SDKCallOptions,
): Promise<SDKOutcome> {
  return callSDK(fixture.dialect, fixture.request.body, options);
}

/** Runs the dialect's SDK on a request body, the chunks and completion as plain JSON as a driver of any language reports them. */
export async function callSDK(
  dialect: Fixture["dialect"],
  body: Record<string, unknown>,
  options: SDKCallOptions,
): Promise<SDKOutcome> {
  const outcome = await SDK_CALLS[dialect](structuredClone(body), options);
  return {
    ...(outcome.chunks && { chunks: asPlainJSON(outcome.chunks) }),
    ...(outcome.completion && { completion: asPlainJSON(outcome.completion) }),
    ...(outcome.error && { error: outcome.error }),
  };
}

// What another language's driver can send is JSON: undefined fields and prototypes do not survive it.
function asPlainJSON<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

async function readCompletion(call: () => PromiseLike<unknown>): Promise<SDKOutcome> {
  try {
    return { completion: (await call()) as Record<string, unknown> };
  } catch (error) {
    return { error: describeError(error) };
  }
}

async function readStream(call: () => PromiseLike<unknown>, toChunk: (item: unknown) => unknown): Promise<SDKOutcome> {
  const chunks: Record<string, unknown>[] = [];
  try {
    const stream = (await call()) as ReplayStream;
    for await (const item of stream) chunks.push(toChunk(item) as Record<string, unknown>);
    return { chunks, completion: (await stream.finalCompletion()) as Record<string, unknown> };
  } catch (error) {
    return { chunks, error: describeError(error) };
  }
}

/** The kind a chatwire error maps to: the same table a Python or Go SDK maps its own errors by. */
function kindOf(error: Error): ErrorKind | null {
  if (error instanceof StreamError) return "stream_error";
  if (error instanceof APITimeoutError) return "timeout";
  if (error instanceof APIConnectionError) return "connection";
  if (error instanceof APIError && error.status !== undefined) return errorKindForStatus(error.status);
  return null;
}

/** A thrown error as the protocol words it: kind, status, message, and the class chain as the TypeScript detail. */
function describeError(error: unknown): ProtocolError {
  if (!(error instanceof Error)) return { kind: null, class: typeof error, classes: [], message: String(error) };
  const classes: string[] = [];
  for (
    let proto = Object.getPrototypeOf(error);
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    classes.push(proto.constructor.name);
  }
  const { status, headers } = error as ChatwireError & { status?: number; headers?: Headers };
  const retryAfter = headers ? retryAfterMs(headers) : undefined;
  return {
    kind: kindOf(error),
    ...(error instanceof StreamError && { stream_error_kind: error.kind }),
    ...(status !== undefined && { status }),
    message: error.message,
    ...(retryAfter !== undefined && { retry_after_ms: retryAfter }),
    class: error.name,
    classes,
  };
}
