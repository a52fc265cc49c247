import type { LlamaContextSequence, LlamaGrammar, Token } from "node-llama-cpp";
import { LlamaGrammarEvaluationState } from "node-llama-cpp";
import type { Runtime } from "./runtime.js";
import { StopStringFilter } from "./stop-strings.js";

export interface SamplingParams {
  maxTokens: number;
  temperature: number;
  topP?: number | undefined;
  topK?: number | undefined;
  minP?: number | undefined;
  seed?: number | undefined;
  frequencyPenalty?: number | undefined;
  presencePenalty?: number | undefined;
  repetitionPenalty?: number | undefined;
  logitBias?: Readonly<Record<string, number>> | undefined;
  ignoreEos: boolean;
  stop: readonly string[];
  /** How many alternatives to report per token; undefined when logprobs are off. */
  topLogprobs?: number | undefined;
  grammar?: LlamaGrammar | undefined;
}

export interface TopLogprob {
  token: string;
  bytes: number[];
  logprob: number;
}

export interface TokenLogprob extends TopLogprob {
  top_logprobs: TopLogprob[];
}

/** A piece of a choice's output: the text now safe to send, and the tokens it came from. */
export interface GeneratedPiece {
  text: string;
  logprobs: TokenLogprob[];
}

export interface GenerationResult {
  finishReason: "stop" | "length";
  completionTokens: number;
}

const utf8 = new TextEncoder();

// A byte-fallback character can span up to four tokens; until it is whole it decodes to U+FFFD.
const MAX_PENDING_BYTE_TOKENS = 4;

/**
 * Generates one choice on `sequence`, yielding text as it becomes final (whole characters, never
 * part of a stop string) with the logprobs of its tokens, and returning why it ended.
 */
export async function* generateChoice(
  runtime: Runtime,
  sequence: LlamaContextSequence,
  prompt: readonly Token[],
  params: SamplingParams,
): AsyncGenerator<GeneratedPiece, GenerationResult, undefined> {
  const generated: Token[] = [];
  const filter = new StopStringFilter(params.stop);
  const grammarEvaluationState = params.grammar
    ? new LlamaGrammarEvaluationState({ model: runtime.model, grammar: params.grammar })
    : undefined;
  const wantLogprobs = params.topLogprobs !== undefined;
  const penalize =
    (params.repetitionPenalty ?? 1) !== 1 ||
    (params.frequencyPenalty ?? 0) !== 0 ||
    (params.presencePenalty ?? 0) !== 0;
  // ignore_eos: llama.cpp will not bias end tokens away, so an end token is swapped for the most
  // likely other token, which needs the probabilities.
  const tokenBias = runtime.tokenBias(params.logitBias, params.grammar);
  const evaluation = sequence.evaluateWithMetadata(
    [...prompt],
    // Typed as always-on; at run time the map is absent unless asked for, and every use allows that.
    { probabilities: wantLogprobs || params.ignoreEos } as { readonly probabilities: true },
    {
      temperature: params.temperature,
      // node-llama-cpp defaults to top-k 40 and top-p 0.95; the API's defaults are "no cut".
      topK: params.topK ?? 0,
      topP: params.topP ?? 1,
      minP: params.minP ?? 0,
      ...(params.seed !== undefined && { seed: params.seed }),
      ...(penalize && {
        repeatPenalty: {
          punishTokens: () => generated,
          penalty: params.repetitionPenalty ?? 1,
          frequencyPenalty: params.frequencyPenalty ?? 0,
          presencePenalty: params.presencePenalty ?? 0,
        },
      }),
      ...(grammarEvaluationState && { grammarEvaluationState }),
      ...(tokenBias && { tokenBias }),
      yieldEogToken: params.ignoreEos,
    },
  );

  let undecoded: Token[] = [];
  let undecodedLogprobs: TokenLogprob[] = [];
  let finishReason: GenerationResult["finishReason"] = "stop";
  let replacement: Token | undefined;
  try {
    for (;;) {
      const step = await evaluation.next(replacement);
      replacement = undefined;
      if (step.done) break;
      let token = step.value.token;
      if (params.ignoreEos && runtime.model.isEogToken(token)) {
        token = mostLikelyOther(runtime, step.value.probabilities) ?? token;
        replacement = token;
      }
      if (wantLogprobs) {
        // Before the token joins `generated`: its text is read after the tokens that precede it.
        const previous = generated.slice(-4);
        undecodedLogprobs.push(
          logprobEntry(runtime, token, previous, step.value.probabilities, params.topLogprobs ?? 0),
        );
      }
      generated.push(token);
      undecoded.push(token);
      const text = runtime.model.detokenize(
        undecoded,
        false,
        generated.slice(-undecoded.length - 4, -undecoded.length),
      );
      // A character still incomplete waits for its next byte token, unless max_tokens is reached:
      // then it goes out as U+FFFD rather than past the limit.
      if (text.endsWith("\uFFFD") && undecoded.length < MAX_PENDING_BYTE_TOKENS && generated.length < params.maxTokens)
        continue;
      const released = filter.push(text);
      const logprobs = undecodedLogprobs;
      undecoded = [];
      undecodedLogprobs = [];
      if (released !== "" || logprobs.length > 0) yield { text: released, logprobs: filter.stopped ? [] : logprobs };
      if (filter.stopped) break;
      if (generated.length >= params.maxTokens) {
        finishReason = "length";
        break;
      }
    }
  } finally {
    await evaluation.return(undefined);
  }
  const rest = filter.flush();
  if (rest !== "") yield { text: rest, logprobs: [] };
  return { finishReason, completionTokens: generated.length };
}

function mostLikelyOther(runtime: Runtime, probabilities: ReadonlyMap<Token, number> | undefined): Token | undefined {
  for (const [token] of probabilities ?? []) if (!runtime.model.isEogToken(token)) return token;
  return undefined;
}

function logprobEntry(
  runtime: Runtime,
  token: Token,
  previous: readonly Token[],
  probabilities: ReadonlyMap<Token, number> | undefined,
  top: number,
): TokenLogprob {
  const entry = (id: Token, probability: number): TopLogprob => {
    const text = runtime.tokenText(id, previous);
    return {
      token: text,
      bytes: [...utf8.encode(text)],
      // A token the sampler could not have picked has probability 0; JSON has no -Infinity.
      logprob: probability > 0 ? Math.log(probability) : -9999,
    };
  };
  const alternatives: TopLogprob[] = [];
  if (probabilities) {
    for (const [id, probability] of probabilities) {
      if (alternatives.length >= top) break;
      alternatives.push(entry(id, probability));
    }
  }
  return { ...entry(token, probabilities?.get(token) ?? 0), top_logprobs: alternatives };
}
