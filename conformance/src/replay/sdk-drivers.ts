import { APIConnectionError, APIError, APITimeoutError, type ChatwireError, StreamError } from "@chatwire/core";
import { retryAfterMs } from "@chatwire/core/internal";
import { Gradient } from "@chatwire/gradient";
import { OctoAI } from "@chatwire/octoai";
import { PredictionGuard } from "@chatwire/predictionguard";
import { type ErrorKind, errorKindForStatus, type Fixture, type StreamErrorKind } from "../fixture.js";

/** What an SDK made of a replayed exchange, in the fixture's `expect` terms. */
export interface SDKOutcome {
  chunks?: Record<string, unknown>[];
  completion?: Record<string, unknown>;
  error?: SDKError;
}

/** A thrown error in the fixture's terms: its kind, and the TypeScript class only as a detail. */
export interface SDKError {
  /** The kind the error maps to; undefined for an error that maps to none (a bug, or a ValidationError). */
  kind: ErrorKind | undefined;
  streamErrorKind?: StreamErrorKind;
  class: string;
  /** Its class and every class above it. */
  classes: string[];
  status?: number;
  message: string;
  retryAfterMs?: number;
}

interface DriverOptions {
  baseURL: string;
  apiKey: string;
  /** Answers the SDK's requests (replay: the fixture's response); the global fetch when not given. */
  fetch?: typeof fetch | undefined;
}

/** An SDK call from a fixture's request body: streamed or not, as the body says. */
type Driver = (body: Record<string, unknown>, options: DriverOptions) => Promise<SDKOutcome>;

/** Anything iterable that can be reduced to one completion afterwards, as each SDK's stream can. */
interface ReplayStream {
  [Symbol.asyncIterator](): AsyncIterator<unknown>;
  finalCompletion(): Promise<unknown>;
}

// Retries off: a fixture holds one response, and the SDK's reading of it is what is under test.
const common = (options: DriverOptions) => ({ ...options, maxRetries: 0 });

const DRIVERS: Record<Fixture["dialect"], Driver> = {
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

/** The package whose SDK replays a dialect's fixtures. */
export const SDK_PACKAGES: Record<Fixture["dialect"], string> = {
  gradient: "@chatwire/gradient",
  octoai: "@chatwire/octoai",
  predictionguard: "@chatwire/predictionguard",
};

/** Runs the dialect's SDK on the fixture's request body against `baseURL`. */
export function driveSDK(fixture: Fixture, options: DriverOptions): Promise<SDKOutcome> {
  return DRIVERS[fixture.dialect](structuredClone(fixture.request.body), options);
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
function kindOf(error: Error): ErrorKind | undefined {
  if (error instanceof StreamError) return "stream_error";
  if (error instanceof APITimeoutError) return "timeout";
  if (error instanceof APIConnectionError) return "connection";
  if (error instanceof APIError && error.status !== undefined) return errorKindForStatus(error.status);
  return undefined;
}

function describeError(error: unknown): SDKError {
  if (!(error instanceof Error)) return { kind: undefined, class: typeof error, classes: [], message: String(error) };
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
    ...(error instanceof StreamError && { streamErrorKind: error.kind }),
    class: error.name,
    classes,
    message: error.message,
    ...(status !== undefined && { status }),
    ...(retryAfter !== undefined && { retryAfterMs: retryAfter }),
  };
}
