import {
  type ChatCompletionChunk,
  type ChunkChoice,
  type DialectId,
  dialects,
  type FinishReason,
  type OctoAIChatCompletionChunk,
  type PredictionGuardChatCompletionChunk,
  type PredictionGuardChunkChoice,
  type PromptLogprobs,
  type TokenLogprob,
  type ToolCallDelta,
  type Usage,
} from "@chatwire/core";

export type WireChunk = ChatCompletionChunk | OctoAIChatCompletionChunk | PredictionGuardChatCompletionChunk;

/** What one chunk says about one choice. */
export interface ChoiceUpdate {
  index: number;
  role?: "assistant";
  content?: string | null;
  tool_calls?: ToolCallDelta[];
  logprobs?: TokenLogprob[];
  finish_reason?: FinishReason;
  /** The whole reply, for dialects that repeat it on a choice's last chunk. */
  generated_text?: string;
}

/** The fields every chunk and completion of one response share. */
export interface ResponseIdentity {
  id: string;
  created: number;
  model: string;
}

/**
 * Builds one dialect's stream chunks from choice updates: logprob shape, `generated_text` and
 * usage placement come from spec/dialects.json.
 */
export class ChunkWriter {
  readonly #rules: (typeof dialects)[DialectId];

  constructor(
    dialect: DialectId,
    readonly identity: ResponseIdentity,
    private readonly includeUsage: boolean,
  ) {
    this.#rules = dialects[dialect];
  }

  /** `promptLogprobs`: the prompt's scores, on the stream's first chunk (OctoAI's `loglikelihood`). */
  chunk(update: ChoiceUpdate, usage?: Usage, promptLogprobs?: PromptLogprobs): WireChunk {
    const stream = this.#rules.stream;
    const delta: ChunkChoice["delta"] = {};
    if (update.role) delta.role = update.role;
    if (update.content !== undefined) delta.content = update.content;
    if (update.tool_calls) delta.tool_calls = update.tool_calls;
    const finish_reason = update.finish_reason ?? null;
    let choice: ChunkChoice | PredictionGuardChunkChoice;
    if (stream.choice_logprobs === "sum") {
      const logprobs = (update.logprobs ?? []).reduce((sum, entry) => sum + entry.logprob, 0);
      choice = { index: update.index, delta, logprobs, finish_reason };
    } else {
      choice = {
        index: update.index,
        delta,
        logprobs: update.logprobs ? { content: update.logprobs } : null,
        finish_reason,
      };
    }
    if (stream.generated_text) (choice as PredictionGuardChunkChoice).generated_text = update.generated_text ?? null;
    const chunk = this.#envelope([choice]) as ChatCompletionChunk;
    if (usage) chunk.usage = usage;
    else if (stream.usage_on_other_chunks === "null") chunk.usage = null;
    if (promptLogprobs) (chunk as OctoAIChatCompletionChunk).prompt_logprobs = promptLogprobs;
    return chunk;
  }

  /** Whether the usage rides on the chunk that finishes the last choice. */
  get usageOnLastChoiceChunk(): boolean {
    return this.includeUsage && this.#rules.stream.usage_placement === "last_content_chunk";
  }

  /** The chunk with empty `choices` and the usage, for dialects that send one; else undefined. */
  usageChunk(usage: Usage): WireChunk | undefined {
    if (!this.includeUsage || this.#rules.stream.usage_placement !== "separate_final_chunk") return undefined;
    return { ...this.#envelope([]), usage };
  }

  #envelope(choices: (ChunkChoice | PredictionGuardChunkChoice)[]): WireChunk {
    // Written out rather than spread from the identity: this runs once per token.
    const { id, created, model } = this.identity;
    return { id, created, model, object: "chat.completion.chunk", choices } as WireChunk;
  }
}
