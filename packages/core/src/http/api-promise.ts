import type { Stream } from "../streaming/stream.js";

/** The parsed result of a call next to the raw exchange it came from. */
export interface WithResponse<T> {
  data: T;
  response: Response;
  requestId: string | undefined;
}

/**
 * What every call returns: await it for the data, or call `withResponse()` for the data together
 * with the `Response`, its headers and the request id.
 */
export class APIPromise<T> implements PromiseLike<T> {
  readonly #exchange: Promise<WithResponse<T>>;

  constructor(exchange: Promise<WithResponse<T>>) {
    this.#exchange = exchange;
  }

  withResponse(): Promise<WithResponse<T>> {
    return this.#exchange;
  }

  /** The raw `Response` (for a stream, its body is what the returned Stream reads). */
  asResponse(): Promise<Response> {
    return this.#exchange.then((exchange) => exchange.response);
  }

  // biome-ignore lint/suspicious/noThenProperty: APIPromise is a thenable by design, like a Promise.
  then<TResult1 = T, TResult2 = never>(
    onfulfilled?: ((value: T) => TResult1 | PromiseLike<TResult1>) | null,
    onrejected?: ((reason: unknown) => TResult2 | PromiseLike<TResult2>) | null,
  ): Promise<TResult1 | TResult2> {
    return this.#exchange.then((exchange) => exchange.data).then(onfulfilled, onrejected);
  }

  catch<TResult = never>(
    onrejected?: ((reason: unknown) => TResult | PromiseLike<TResult>) | null,
  ): Promise<T | TResult> {
    return this.then(undefined, onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<T> {
    return this.then().finally(onfinally);
  }

  get [Symbol.toStringTag](): string {
    return "APIPromise";
  }
}

/**
 * What a streamed call returns: await it for the `Stream` (with `withResponse()` as for any call),
 * or iterate it directly, as the providers' Python SDKs allow.
 */
export class StreamPromise<T> extends APIPromise<Stream<T>> implements AsyncIterable<T> {
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    // yield* hands `break` on to the stream, so leaving the loop early still releases the connection.
    yield* await this;
  }

  override get [Symbol.toStringTag](): string {
    return "StreamPromise";
  }
}
