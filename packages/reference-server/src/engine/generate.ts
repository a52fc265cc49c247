import type { PromptLogprobs } from "@chatwire/core";
import type { LlamaGrammar, Token } from "node-llama-cpp";
import { LlamaGrammarEvaluationState } from "node-llama-cpp";
import type { AdapterSet, SampledToken, TokenScore } from "./batch-decoder.js";
import { createNativeSampler, type NativeSamplerConfig, nativeGrammarState, tokenInDistribution } from "./native.js";
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
  /** LoRA adapters to decode with (OctoAI's `peft`); the base model when absent. */
  adapters?: AdapterSet | undefined;
  /**
   * Score every prompt token after the first (OctoAI's `loglikelihood`). The prompt's step must
   * then hold the whole prompt: `cached` must be 0.
   */
  scorePrompt?: boolean | undefined;
}

interface TopLogprob {
  token: string;
  bytes: number[];
  logprob: number;
}

interface TokenLogprob extends TopLogprob {
  top_logprobs: TopLogprob[];
}

/** A piece of a choice's output: the text now safe to send, and the tokens it came from. */
export interface GeneratedPiece {
  text: string;
  logprobs: TokenLogprob[];
  /** With `scorePrompt`, on a piece of its own, the choice's first: the prompt tokens' log probabilities. */
  promptLogprobs?: PromptLogprobs;
}

export interface GenerationResult {
  finishReason: "stop" | "length";
  completionTokens: number;
}

const utf8 = new TextEncoder();

/**
 * What a ban (`logit_bias` -100, `ignore_eos`) adds to a logit: far below any real logit, yet
 * finite, so that a grammar needing the token is not left with nothing to pick (llama.cpp then
 * fails inside the sampler, outside any request).
 */
const BAN = -1e30;

/** The request's constraints cannot all hold: its bias bans the only tokens that may come next. */
export class ConstraintConflictError extends Error {
  override name = "ConstraintConflictError";
}

// A byte-fallback character can span up to four tokens; until it is whole it decodes to U+FFFD.
const MAX_PENDING_BYTE_TOKENS = 4;

/** A sampler whose probabilities are the model's own softmax: no temperature, no cut. */
const MODEL_DISTRIBUTION: NativeSamplerConfig = { temperature: 1, topK: 0, topP: 1, minP: 0, seed: 0 };

/**
 * Generates one choice in `slot`, whose cells already hold the first `cached` tokens of `prompt`,
 * yielding text as it becomes final (whole characters, never part of a stop string) with the
 * logprobs of its tokens, and returning why it ended. With `scorePrompt` its first piece carries
 * the prompt's log probabilities alone.
 */
export async function* generateChoice(
  runtime: Runtime,
  slot: number,
  prompt: readonly Token[],
  cached: number,
  params: SamplingParams,
): AsyncGenerator<GeneratedPiece, GenerationResult, undefined> {
  const generated: Token[] = [];
  const filter = new StopStringFilter(params.stop);
  const wantLogprobs = params.topLogprobs !== undefined;
  const { biases, banned } = requestBiases(runtime, params);
  if (params.scorePrompt && cached !== 0) {
    throw new RangeError(`Scoring the prompt needs all of it decoded in one step, but ${cached} tokens are cached.`);
  }
  const sampler = createNativeSampler(runtime.model);
  // Scoring samples with its sampler once per prompt token: it must not be the choice's own.
  let scorer = params.scorePrompt ? createNativeSampler(runtime.model) : undefined;
  let promptLogprobs: PromptLogprobs | undefined;
  let pending: Promise<SampledToken> | undefined;
  let undecoded: Token[] = [];
  let undecodedLogprobs: TokenLogprob[] = [];
  let finishReason: GenerationResult["finishReason"] = "stop";
  try {
    sampler.applyConfig(samplerConfig(runtime, params, runtime.tokenBias(biases, params.grammar)));
    scorer?.applyConfig(MODEL_DISTRIBUTION);
    let position = prompt.length;
    let next: Promise<SampledToken> = runtime.decoder.step(slot, cached, prompt.slice(cached), sampler, {
      probabilities: wantLogprobs,
      adapters: params.adapters,
      scorePrompt: scorer,
    });
    for (;;) {
      pending = next;
      const { token, probabilities, promptScores } = await next;
      pending = undefined;
      if (scorer) {
        // Only the prompt's step scores: the scorer's work is done.
        scorer.dispose();
        scorer = undefined;
        promptLogprobs = promptLogprobList(runtime, prompt, promptScores ?? []);
      }
      if (banned.has(token)) throw conflict(runtime, token, params.grammar !== undefined);
      if (runtime.model.isEogToken(token)) break;
      // The next token is decoded while this one's text is worked out and sent.
      if (generated.length + 1 < params.maxTokens) {
        next = runtime.decoder.step(slot, position, [token], sampler, {
          probabilities: wantLogprobs,
          adapters: params.adapters,
        });
        pending = next;
        position++;
      }
      if (promptLogprobs) {
        yield { text: "", logprobs: [], promptLogprobs };
        promptLogprobs = undefined;
      }
      if (wantLogprobs) {
        // Before the token joins `generated`: its text is read after the tokens that precede it.
        const previous = generated.slice(-4);
        undecodedLogprobs.push(logprobEntry(runtime, token, previous, probabilities, params.topLogprobs ?? 0));
      }
      // The text of the tokens not yet decoded, read after the (up to) four tokens before them.
      const before = generated.length;
      generated.push(token);
      undecoded.push(token);
      const from = before - (undecoded.length - 1);
      const text = runtime.model.detokenize(undecoded, false, generated.slice(Math.max(0, from - 4), from));
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
    // A step decoding past the end is not waited for: the slot is cleared after it (or drops it).
    if (pending) void pending.then(dispose, dispose);
    else dispose();
  }
  // The first token ended the choice: the prompt's scores still go out.
  if (promptLogprobs) yield { text: "", logprobs: [], promptLogprobs };
  const rest = filter.flush();
  if (rest !== "") yield { text: rest, logprobs: [] };
  return { finishReason, completionTokens: generated.length };

  function dispose(): void {
    sampler.dispose();
    scorer?.dispose();
  }
}

/** The native sampler's settings for a request, as node-llama-cpp's own evaluation would set them. */
function samplerConfig(
  runtime: Runtime,
  params: SamplingParams,
  bias: ReadonlyMap<Token, number> | undefined,
): NativeSamplerConfig {
  const penalize =
    (params.repetitionPenalty ?? 1) !== 1 ||
    (params.frequencyPenalty ?? 0) !== 0 ||
    (params.presencePenalty ?? 0) !== 0;
  const seed = params.seed ?? Date.now() / 1000;
  return {
    temperature: params.temperature,
    // node-llama-cpp defaults to top-k 40 and top-p 0.95; the API's defaults are "no cut".
    topK: params.topK ?? 0,
    topP: params.topP ?? 1,
    minP: params.minP ?? 0,
    seed: Math.max(0, Math.floor(seed)),
    ...(penalize && {
      repeatPenalty: repeatPenalty(params.repetitionPenalty),
      // The window holds every generated token; sampling adds each to it (the prompt is not punished).
      repeatPenaltyMaxTokens: Math.max(64, params.maxTokens),
      repeatPenaltyTokens: new Uint32Array(0),
      repeatPenaltyPresencePenalty: params.presencePenalty ?? 0,
      repeatPenaltyFrequencyPenalty: params.frequencyPenalty ?? 0,
    }),
    ...(bias && {
      tokenBiasKeys: Uint32Array.from(bias.keys()),
      tokenBiasValues: Float32Array.from(bias.values()),
    }),
    ...(params.grammar && {
      grammarEvaluationState: nativeGrammarState(
        new LlamaGrammarEvaluationState({ model: runtime.model, grammar: params.grammar }),
      ),
    }),
  };
}

/**
 * node-llama-cpp's native sampler skips the whole penalty stage, frequency and presence penalties
 * included, while the repetition penalty is exactly 1 (llama.cpp's own penalty sampler does not). A
 * repetition penalty one float32 step above 1 keeps the stage on; it scales a logit by about 1e-7.
 */
const NEUTRAL_REPETITION_PENALTY = Math.fround(1 + 2 ** -23);

function repeatPenalty(requested: number | undefined): number {
  return requested === undefined || requested === 1 ? NEUTRAL_REPETITION_PENALTY : requested;
}

/**
 * The logit biases of a request, and the tokens it bans outright (`logit_bias` -100, OpenAI's
 * spelling of "never"). `ignore_eos` bans the end tokens unless a grammar is on: then the
 * grammar's end is the reply's end.
 */
function requestBiases(runtime: Runtime, params: SamplingParams): { biases: Map<Token, number>; banned: Set<Token> } {
  const biases = new Map<Token, number>();
  const banned = new Set<Token>();
  if (params.ignoreEos && !params.grammar) for (const token of runtime.endTokens) biases.set(token, BAN);
  for (const [key, value] of Object.entries(params.logitBias ?? {})) {
    const token = Number(key) as Token;
    if (value <= -100) banned.add(token);
    biases.set(token, value <= -100 ? BAN : value);
  }
  return { biases, banned };
}

function conflict(runtime: Runtime, token: Token, grammar: boolean): ConstraintConflictError {
  const text = JSON.stringify(runtime.model.detokenize([token], true));
  return new ConstraintConflictError(
    grammar
      ? `logit_bias bans token ${token} (${text}), which the response_format or tool grammar needs at this point: nothing else may come next. Lift the ban on that token or drop the grammar.`
      : `logit_bias bans token ${token} (${text}) and every other token the model could produce here. Ban fewer tokens.`,
  );
}

/** A log probability for JSON: a token the distribution gives 0 has no finite log, and JSON has no -Infinity. */
function logprobOf(probability: number): number {
  return probability > 0 ? Math.log(probability) : -9999;
}

/**
 * The prompt's scores in vLLM's `prompt_logprobs` form: null for the first token, which nothing
 * predicts, then each token's id mapped to its log probability, rank and text.
 */
function promptLogprobList(runtime: Runtime, prompt: readonly Token[], scores: readonly TokenScore[]): PromptLogprobs {
  if (scores.length !== prompt.length - 1) {
    throw new Error(
      `The decoder scored ${scores.length} prompt tokens; the prompt has ${prompt.length - 1} after its first.`,
    );
  }
  const list: PromptLogprobs = [null];
  scores.forEach(({ probability, rank }, i) => {
    const at = i + 1;
    const token = prompt[at] as Token;
    // Control tokens are written out (`true`): the template's markers are part of what was scored.
    const text = runtime.model.detokenize([token], true, prompt.slice(Math.max(0, at - 4), at));
    list.push({ [token]: { logprob: logprobOf(probability), rank, decoded_token: text } });
  });
  return list;
}

function logprobEntry(
  runtime: Runtime,
  token: Token,
  previous: readonly Token[],
  probabilities: readonly number[] | undefined,
  top: number,
): TokenLogprob {
  const entry = (id: Token, probability: number): TopLogprob => {
    const text = runtime.tokenText(id, previous);
    return {
      token: text,
      bytes: [...utf8.encode(text)],
      // A token the sampler could not have picked has probability 0.
      logprob: logprobOf(probability),
    };
  };
  // The list is [token, probability, ...], best first.
  const flat = probabilities ?? [];
  const alternatives: TopLogprob[] = [];
  for (let i = 0; i + 1 < flat.length && alternatives.length < top; i += 2)
    alternatives.push(entry(flat[i] as Token, flat[i + 1] as number));
  return { ...entry(token, tokenInDistribution(flat, token).probability), top_logprobs: alternatives };
}
