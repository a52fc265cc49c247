import {
  APIPromise,
  dialects,
  type HTTPClient,
  type OctoAIChatCompletion,
  type OctoAIChatCompletionChunk,
  type OctoAIChatCompletionRequest,
  type RequestOptions,
  type StreamPromise,
  ValidationError,
} from "@chatwire/core";

/** A chat request; which method is called, not `stream`, decides whether it streams. */
export type ChatCompletionCreateParams = Omit<OctoAIChatCompletionRequest, "stream">;
export type ChatCompletionCreateParamsNonStreaming = ChatCompletionCreateParams & { stream?: false | null | undefined };
export type ChatCompletionCreateParamsStreaming = ChatCompletionCreateParams & { stream?: true | undefined };

const { schemas, stream } = dialects.octoai;
const what = "OctoAI chat request";

/** `client.textGen`: one method per response shape, as in the Python SDK's `text_gen`. */
export class TextGen {
  readonly #transport: HTTPClient;
  readonly #chatPath: string;

  /** `chatPath`: where chat requests go under the transport's base URL. */
  constructor(transport: HTTPClient, chatPath: string) {
    this.#transport = transport;
    this.#chatPath = chatPath;
  }

  /** A whole completion; with `loglikelihood: true`, the prompt tokens' log probabilities in `prompt_logprobs`. */
  createChatCompletion(
    body: ChatCompletionCreateParamsNonStreaming,
    options?: RequestOptions,
  ): APIPromise<OctoAIChatCompletion> {
    // The type already forbids it; a caller without types would otherwise get a stream parsed as JSON.
    if ((body as { stream?: unknown }).stream === true) {
      const refusal = new ValidationError(
        `createChatCompletion does not stream, but the ${what} says stream: true. Call client.textGen.createChatCompletionStream(...) for a stream of chunks. Nothing was sent.`,
        [{ path: "$.stream", message: "use createChatCompletionStream for a stream" }],
      );
      return new APIPromise(Promise.reject(refusal));
    }
    return this.#transport.postJSON<OctoAIChatCompletion>(
      { path: this.#chatPath, body, what, requestSchema: schemas.request, responseSchema: schemas.response },
      options,
    );
  }

  /**
   * A stream of chunks: await it, or iterate it directly. With `loglikelihood: true` the first
   * chunk carries `prompt_logprobs`, and `finalCompletion()` keeps them.
   */
  createChatCompletionStream(
    body: ChatCompletionCreateParamsStreaming,
    options?: RequestOptions,
  ): StreamPromise<OctoAIChatCompletionChunk> {
    return this.#transport.postStream<OctoAIChatCompletionChunk>(
      {
        path: this.#chatPath,
        body: { ...body, stream: true },
        what,
        requestSchema: schemas.request,
        chunkSchema: schemas.chunk,
        doneSentinel: stream.done_sentinel,
      },
      options,
    );
  }
}
