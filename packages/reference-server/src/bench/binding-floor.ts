/**
 * The fastest any server on node-llama-cpp's binding can generate one stream: in this process, on
 * the same model and context shape, nothing but the two native calls every token needs (decode the
 * token, sample the next), one after the other, with no HTTP, text or stop handling. Measured in the
 * same rounds as both servers, it splits the gap to llama-server into what the binding costs and
 * what the server adds.
 */
import type { Token } from "node-llama-cpp";
import { createNativeSampler, type NativeContext, nativeContext } from "../engine/native.js";
import { Runtime } from "../engine/runtime.js";
import type { ServerShape } from "./servers.js";

const SLOT = 0;

export class BindingFloor {
  private constructor(
    private readonly runtime: Runtime,
    private readonly native: NativeContext,
    private readonly prompt: readonly Token[],
  ) {}

  static async load(shape: ServerShape, messages: { role: string; content: string }[]): Promise<BindingFloor> {
    const runtime = await Runtime.load({
      modelPath: shape.modelPath,
      gpu: "off",
      threads: shape.threads,
      parallel: shape.parallel,
      contextSize: shape.contextPerSequence,
    });
    return new BindingFloor(runtime, nativeContext(runtime.context), await runtime.tokenizePrompt(messages));
  }

  /** Tokens/s of `tokens` greedy tokens after the prompt, timed from the prompt's decode to the last sample. */
  async tokensPerSecond(tokens: number): Promise<number> {
    const sampler = createNativeSampler(this.runtime.model);
    sampler.applyConfig({ temperature: 0, topK: 0, topP: 1, minP: 0, seed: 1 });
    const started = performance.now();
    try {
      this.native.initBatch(this.prompt.length);
      let [logit] = this.native.addToBatch(
        SLOT,
        0,
        Uint32Array.from(this.prompt),
        Uint32Array.of(this.prompt.length - 1),
      );
      await this.native.decodeBatch();
      for (let position = this.prompt.length; position < this.prompt.length + tokens; position++) {
        const token = await this.native.sampleToken(logit as number, sampler);
        if (position === this.prompt.length + tokens - 1) break;
        this.native.initBatch(1);
        [logit] = this.native.addToBatch(SLOT, position, Uint32Array.of(token), Uint32Array.of(0));
        await this.native.decodeBatch();
      }
      return tokens / ((performance.now() - started) / 1000);
    } finally {
      sampler.dispose();
      this.native.disposeSequence(SLOT);
    }
  }

  dispose(): Promise<void> {
    return this.runtime.dispose();
  }
}
