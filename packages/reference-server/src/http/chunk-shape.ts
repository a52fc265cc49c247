import type { DialectId } from "@chatwire/core";
import type { TokenLogprob } from "../engine/generate.js";

export type FinishReason = "stop" | "length" | "tool_calls";

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface ToolCallDelta {
  index: number;
  id?: string;
  type?: "function";
  function: { name?: string; arguments: string };
}

/** What one chunk says about one choice. */
export interface ChoiceUpdate {
  index: number;
  role?: "assistant";
  content?: string | null;
  tool_calls?: ToolCallDelta[];
  logprobs?: TokenLogprob[];
  finish_reason?: FinishReason;
  /** Prediction Guard repeats the whole reply on a choice's last chunk. */
  generated_text?: string;
}

/**
 * Builds each dialect's stream chunks from choice updates, so usage and per-choice extras land
 * where each provider puts them (see spec/dialects.json).
 */
export class ChunkShaper {
  constructor(
    readonly dialect: DialectId,
    readonly id: string,
    readonly created: number,
    readonly model: string,
    private readonly includeUsage: boolean,
  ) {}

  chunk(update: ChoiceUpdate, usage?: Usage): Record<string, unknown> {
    const delta: Record<string, unknown> = {};
    if (update.role) delta.role = update.role;
    if (update.content !== undefined) delta.content = update.content;
    if (update.tool_calls) delta.tool_calls = update.tool_calls;
    const choice: Record<string, unknown> = { index: update.index, delta };
    if (this.dialect === "predictionguard") {
      choice.generated_text = update.generated_text ?? null;
      choice.logprobs = (update.logprobs ?? []).reduce((sum, entry) => sum + entry.logprob, 0);
      choice.finish_reason = update.finish_reason ?? null;
      return this.#envelope([choice]);
    }
    choice.logprobs = update.logprobs ? { content: update.logprobs } : null;
    choice.finish_reason = update.finish_reason ?? null;
    const chunk = this.#envelope([choice]);
    if (this.dialect === "gradient") chunk.usage = null;
    if (this.dialect === "octoai" && usage) chunk.usage = usage;
    return chunk;
  }

  /** Gradient's (and OpenAI's) last chunk: empty choices, the usage; undefined for the other dialects. */
  usageChunk(usage: Usage): Record<string, unknown> | undefined {
    if (this.dialect !== "gradient" || !this.includeUsage) return undefined;
    return { ...this.#envelope([]), usage };
  }

  #envelope(choices: unknown[]): Record<string, unknown> {
    return { id: this.id, object: "chat.completion.chunk", created: this.created, model: this.model, choices };
  }

  /** Whether this dialect puts the usage on the last chunk that finishes a choice. */
  get usageOnLastChoiceChunk(): boolean {
    return this.dialect === "octoai" && this.includeUsage;
  }
}
