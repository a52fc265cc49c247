import type { ServerResponse } from "node:http";

/**
 * Writes `data:` events, waiting for the socket to drain so a slow client never grows memory. A
 * client that takes no bytes for `sendTimeoutMs` is cut off: its connection is destroyed, which
 * ends its generation and frees its sequences.
 */
export class SSEWriter {
  #started = false;

  constructor(
    private readonly response: ServerResponse,
    private readonly sendTimeoutMs: number,
  ) {}

  async event(data: unknown): Promise<void> {
    await this.#write(`data: ${JSON.stringify(data)}\n\n`);
  }

  async done(): Promise<void> {
    await this.#write("data: [DONE]\n\n");
    this.response.end();
  }

  async #write(text: string): Promise<void> {
    if (!this.#started) {
      this.#started = true;
      this.response.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
    }
    if (this.response.destroyed) return;
    if (this.response.write(text)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.response.off("drain", done);
        this.response.off("close", done);
        resolve();
      };
      const timer = setTimeout(() => {
        this.response.destroy(new Error(`the client took no bytes for ${this.sendTimeoutMs} ms`));
        done();
      }, this.sendTimeoutMs);
      this.response.on("drain", done);
      this.response.on("close", done);
    });
  }
}
