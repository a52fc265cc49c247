import type { FinishReason, TokenLogprob, ToolCall } from "@chatwire/core";
import type { ChoiceEvent } from "../engine/run-choices.js";
import { toolCallFrom } from "./tool-call.js";

/** One choice once it has finished: its text, or the tool call its text spells. */
export interface FinishedChoice {
  index: number;
  text: string;
  logprobs: TokenLogprob[];
  toolCall: ToolCall | undefined;
  finishReason: FinishReason;
  completionTokens: number;
}

/**
 * Collects each choice's text and logprobs as its events arrive, and decides when it ends whether
 * a forced choice made a whole tool call. Streamed and whole answers share it.
 */
export class ChoiceAssembler {
  readonly #texts: string[];
  readonly #logprobs: TokenLogprob[][];
  completionTokens = 0;
  finished = 0;

  constructor(
    readonly n: number,
    private readonly toolCall: boolean,
    private readonly keepLogprobs: boolean,
  ) {
    this.#texts = Array.from({ length: n }, () => "");
    this.#logprobs = Array.from({ length: n }, () => []);
  }

  /** Takes one event; returns the finished choice when the event ends one. */
  take(event: ChoiceEvent): FinishedChoice | undefined {
    if (event.kind === "piece") {
      this.#texts[event.index] += event.piece.text;
      if (this.keepLogprobs) this.#logprobs[event.index]?.push(...event.piece.logprobs);
      return undefined;
    }
    this.finished += 1;
    this.completionTokens += event.result.completionTokens;
    const text = this.#texts[event.index] as string;
    const toolCall =
      this.toolCall && event.result.finishReason === "stop" ? toolCallFrom(text, event.index) : undefined;
    return {
      index: event.index,
      text,
      logprobs: this.#logprobs[event.index] as TokenLogprob[],
      toolCall,
      finishReason: toolCall ? "tool_calls" : event.result.finishReason,
      completionTokens: event.result.completionTokens,
    };
  }

  get allFinished(): boolean {
    return this.finished === this.n;
  }
}
