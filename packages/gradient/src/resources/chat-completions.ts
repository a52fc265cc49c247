import {
  type APIPromise,
  type ChatCompletion,
  type ChatCompletionChunk,
  dialects,
  type GradientChatCompletionRequest,
  type HTTPClient,
  type RequestOptions,
  type StreamPromise,
} from "@chatwire/core";

/** A chat request; `stream` decides what `create` returns. */
export type ChatCompletionCreateParams = GradientChatCompletionRequest;
export type ChatCompletionCreateParamsStreaming = ChatCompletionCreateParams & { stream: true };
export type ChatCompletionCreateParamsNonStreaming = ChatCompletionCreateParams & { stream?: false | null | undefined };

const { schemas, stream } = dialects.gradient;

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
  /** A stream of chunks: await it, or iterate it directly. */
  create(body: ChatCompletionCreateParamsStreaming, options?: RequestOptions): StreamPromise<ChatCompletionChunk>;
  create(
    body: ChatCompletionCreateParams,
    options?: RequestOptions,
  ): APIPromise<ChatCompletion> | StreamPromise<ChatCompletionChunk>;
  create(
    body: ChatCompletionCreateParams,
    options?: RequestOptions,
  ): APIPromise<ChatCompletion> | StreamPromise<ChatCompletionChunk> {
    const call = { path: this.#chatPath, body, what: "Gradient chat request", requestSchema: schemas.request };
    if (body.stream) {
      return this.#transport.postStream<ChatCompletionChunk>(
        { ...call, chunkSchema: schemas.chunk, doneSentinel: stream.done_sentinel },
        options,
      );
    }
    return this.#transport.postJSON<ChatCompletion>({ ...call, responseSchema: schemas.response }, options);
  }
}
