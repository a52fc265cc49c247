import {
  type APIPromise,
  type ChatCompletion,
  dialects,
  type HTTPClient,
  type PredictionGuardChatCompletionChunk,
  type PredictionGuardChatCompletionRequest,
  type RequestOptions,
  StreamPromise,
  ValidationError,
} from "@chatwire/core";

/** One streamed item: the chunk under `data`, as the Python client yields `{"data": chunk}`. */
export interface PredictionGuardStreamItem {
  data: PredictionGuardChatCompletionChunk;
}

/** A chat request; `stream` decides what `create` returns. */
export type ChatCompletionCreateParams = Omit<PredictionGuardChatCompletionRequest, "max_tokens"> & {
  /** @deprecated Use `max_completion_tokens`. When given, it is sent as `max_completion_tokens`, as in Python. */
  max_tokens?: PredictionGuardChatCompletionRequest["max_tokens"];
};
export type ChatCompletionCreateParamsStreaming = ChatCompletionCreateParams & { stream: true };
export type ChatCompletionCreateParamsNonStreaming = ChatCompletionCreateParams & { stream?: false | null | undefined };

/** The Python client's defaults; only a field left out (undefined) gets one, an explicit null is sent as null. */
const DEFAULTS = { max_completion_tokens: 100, temperature: 1, top_p: 0.99, top_k: 50 } as const;

const { schemas, stream } = dialects.predictionguard;

/** What goes on the wire: the defaults filled in, and the deprecated `max_tokens` moved, as the Python client does. */
function wireBody(params: ChatCompletionCreateParams): PredictionGuardChatCompletionRequest {
  const {
    max_tokens,
    max_completion_tokens = DEFAULTS.max_completion_tokens,
    temperature = DEFAULTS.temperature,
    top_p = DEFAULTS.top_p,
    top_k = DEFAULTS.top_k,
    ...rest
  } = params;
  return { ...rest, max_completion_tokens: max_tokens ?? max_completion_tokens, temperature, top_p, top_k };
}

/** `client.chat.completions`: one `create`, streamed or not, as in the Python SDK. */
export class ChatCompletions {
  readonly #transport: HTTPClient;
  readonly #chatPath: string;

  /** `chatPath`: where chat requests go under the transport's base URL. */
  constructor(transport: HTTPClient, chatPath: string) {
    this.#transport = transport;
    this.#chatPath = chatPath;
  }

  /** A whole completion. */
  create(body: ChatCompletionCreateParamsNonStreaming, options?: RequestOptions): APIPromise<ChatCompletion>;
  /** A stream of `{ data: chunk }` items: await it, or iterate it directly. */
  create(body: ChatCompletionCreateParamsStreaming, options?: RequestOptions): StreamPromise<PredictionGuardStreamItem>;
  create(
    body: ChatCompletionCreateParams,
    options?: RequestOptions,
  ): APIPromise<ChatCompletion> | StreamPromise<PredictionGuardStreamItem>;
  create(
    body: ChatCompletionCreateParams,
    options?: RequestOptions,
  ): APIPromise<ChatCompletion> | StreamPromise<PredictionGuardStreamItem> {
    const call = {
      path: this.#chatPath,
      body: wireBody(body),
      what: "Prediction Guard chat request",
      requestSchema: schemas.request,
    };
    if (body.stream) {
      // The Python client's rule, kept: output checks score a whole reply, and a stream hands it out in pieces.
      // `output: null` means no checks (null for an optional field means not set), so it streams.
      if (body.output !== undefined && body.output !== null) return refused(outputWhileStreaming());
      return this.#transport.postStream<PredictionGuardStreamItem>(
        {
          ...call,
          chunkSchema: schemas.chunk,
          doneSentinel: stream.done_sentinel,
          // The chunk schema is Prediction Guard's, so a validated chunk is one.
          toItem: (chunk) => ({ data: chunk as PredictionGuardChatCompletionChunk }),
          toChunk: (item) => item.data,
        },
        options,
      );
    }
    return this.#transport.postJSON<ChatCompletion>({ ...call, responseSchema: schemas.response }, options);
  }
}

function outputWhileStreaming(): ValidationError {
  const issue = { path: "$.output", message: "output checks are not supported when streaming is enabled" };
  return new ValidationError(
    "The Prediction Guard chat request asks for output checks (factuality, toxicity) with stream: true, but " +
      "factuality and toxicity checks are not supported when streaming is enabled. Nothing was sent. Remove " +
      "output to stream, or leave stream off to get the whole reply with its checks.",
    [issue],
  );
}

/** A streamed call that fails before sending, still awaitable and iterable like any other. */
function refused(error: Error): StreamPromise<PredictionGuardStreamItem> {
  return new StreamPromise(Promise.reject(error));
}
