import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { StreamError } from "../errors.js";
import { type DialectId, dialects } from "../generated/dialects.js";
import {
  ChatCompletionChunkSchema,
  ChatCompletionSchema,
  OctoAIChatCompletionChunkSchema,
  PredictionGuardChatCompletionChunkSchema,
} from "../generated/schemas.js";
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChunkChoice,
  OctoAIChatCompletionChunk,
  PredictionGuardChatCompletionChunk,
  PredictionGuardChunkChoice,
  PromptLogprobs,
  TokenLogprob,
  Usage,
} from "../generated/types.js";
import { dialectValidators } from "../generated/validators.js";
import { type AnyChatCompletionChunk, accumulateChunks, ChunkAccumulator } from "./accumulate.js";

interface Fixture {
  file: string;
  dialect: DialectId;
  description: string;
  request: unknown;
  chunks: AnyChatCompletionChunk[];
  response: ChatCompletion;
}

const fixturesDir = new URL("./fixtures/", import.meta.url);
const fixtures: Fixture[] = readdirSync(fixturesDir)
  .filter((name) => name.endsWith(".json"))
  .sort()
  .map((file) => ({ file, ...JSON.parse(readFileSync(new URL(file, fixturesDir), "utf8")) }));

const chunkSchemas = {
  octoai: OctoAIChatCompletionChunkSchema,
  predictionguard: PredictionGuardChatCompletionChunkSchema,
  gradient: ChatCompletionChunkSchema,
} as const;

describe("fixtures", () => {
  it("cover every dialect, at least seven streams in all", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(7);
    expect(new Set(fixtures.map((f) => f.dialect))).toEqual(new Set(Object.keys(dialects)));
    for (const fixture of fixtures) {
      expect(Object.keys(fixture).sort(), fixture.file).toEqual(
        ["chunks", "description", "dialect", "file", "request", "response"].sort(),
      );
      expect(fixture.file.startsWith(`${fixture.dialect}-`), fixture.file).toBe(true);
    }
  });

  describe.each(fixtures.map((f) => [f.file, f] as const))("%s", (_, fixture) => {
    it("has a request, chunks and a response that match the dialect's schemas", () => {
      const validators = dialectValidators[fixture.dialect];
      const request = validators.request.safeParse(fixture.request);
      expect(request.success, request.error?.message).toBe(true);
      // The explicit schema per dialect and the dialect table must agree.
      expect(validators.chunk).toBe(chunkSchemas[fixture.dialect]);
      expect(fixture.chunks.length).toBeGreaterThan(1);
      fixture.chunks.forEach((chunk, i) => {
        const parsed = chunkSchemas[fixture.dialect].safeParse(chunk);
        expect(parsed.success, `chunk ${i}: ${parsed.error?.message}`).toBe(true);
      });
      const response = validators.response.safeParse(fixture.response);
      expect(response.success, response.error?.message).toBe(true);
    });

    it("accumulates to the unstreamed response", () => {
      const completion = accumulateChunks(fixture.chunks);
      expect(completion).toStrictEqual(fixture.response);
      // Nothing undefined is hiding in the result: it survives JSON unchanged.
      expect(JSON.parse(JSON.stringify(completion))).toStrictEqual(completion);
      expect(ChatCompletionSchema.safeParse(completion).success).toBe(true);
    });

    it("gives the same answer when result() is read after every chunk", () => {
      const accumulator = new ChunkAccumulator();
      let last: ChatCompletion | undefined;
      for (const chunk of fixture.chunks) {
        accumulator.add(chunk);
        last = accumulator.result();
      }
      expect(last).toStrictEqual(fixture.response);
      expect(accumulator.result()).toStrictEqual(fixture.response);
    });
  });
});

// ----------------------------------------------------------------------------------------------
// Focused tests, one rule each, on small hand-made chunks.

const base = { id: "chatcmpl-1", object: "chat.completion.chunk", created: 1_700_000_000, model: "m" } as const;

function chunk(choices: ChunkChoice[], extra: Partial<ChatCompletionChunk> = {}): ChatCompletionChunk {
  return { ...base, choices, ...extra };
}
function pgChunk(choices: PredictionGuardChunkChoice[]): PredictionGuardChatCompletionChunk {
  return { ...base, choices };
}
function text(content: string | null, index = 0, finish: ChunkChoice["finish_reason"] = null): ChatCompletionChunk {
  return chunk([{ index, delta: { content }, finish_reason: finish }]);
}
function first(completion: ChatCompletion) {
  const choice = completion.choices[0];
  if (!choice) throw new Error("the completion has no choice");
  return choice;
}
const usage: Usage = { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 };
const entry = (token: string, logprob = -0.5): TokenLogprob => ({
  token,
  logprob,
  bytes: [...new TextEncoder().encode(token)],
  top_logprobs: [{ token, logprob, bytes: null }],
});

describe("ChunkAccumulator: completion-level fields", () => {
  it("takes id, created, model and system_fingerprint from the first chunk that has them", () => {
    const completion = accumulateChunks([
      chunk([], { id: "", created: 0, model: "", system_fingerprint: null }),
      chunk([{ index: 0, delta: { role: "assistant", content: "a" } }], {
        id: "first",
        created: 11,
        model: "m1",
        system_fingerprint: "fp_1",
      }),
      chunk([{ index: 0, delta: { content: "b" } }], {
        id: "second",
        created: 22,
        model: "m2",
        system_fingerprint: "fp_2",
      }),
    ]);
    expect(completion).toMatchObject({ id: "first", created: 11, model: "m1", system_fingerprint: "fp_1" });
  });

  it("is always a chat.completion and leaves out what no chunk had", () => {
    const completion = accumulateChunks([text("hi", 0, "stop")]);
    expect(completion).toStrictEqual({
      id: base.id,
      object: "chat.completion",
      created: base.created,
      model: base.model,
      choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }],
    });
  });

  it("keeps a system_fingerprint of null when every chunk says null", () => {
    expect(
      accumulateChunks([text("a")].map((c) => ({ ...c, system_fingerprint: null }))).system_fingerprint,
    ).toBeNull();
  });
});

describe("ChunkAccumulator: message", () => {
  it("defaults the role to assistant and takes it from delta.role when sent", () => {
    expect(first(accumulateChunks([text("x")])).message.role).toBe("assistant");
    const completion = accumulateChunks([chunk([{ index: 0, delta: { role: "assistant" } }]), text("x")]);
    expect(first(completion).message.role).toBe("assistant");
  });

  it("passes a non-assistant delta.role through unchanged", () => {
    const completion = accumulateChunks([chunk([{ index: 0, delta: { role: "tool", content: "x" } }])]);
    expect(first(completion).message.role).toBe("tool");
  });

  it("concatenates content fragments in order, skipping null ones", () => {
    const completion = accumulateChunks([text(""), text("Hel"), text(null), text("lo"), text(", "), text("world")]);
    expect(first(completion).message.content).toBe("Hello, world");
  });

  it("has content null when no content fragment came, and an empty string when an empty one did", () => {
    expect(first(accumulateChunks([chunk([{ index: 0, delta: { role: "assistant" } }])])).message.content).toBeNull();
    expect(first(accumulateChunks([text(null), text(null)])).message.content).toBeNull();
    expect(first(accumulateChunks([text("")])).message.content).toBe("");
  });

  it("concatenates refusal and reasoning_content, and has them only when a fragment came", () => {
    const plain = first(
      accumulateChunks([chunk([{ index: 0, delta: { content: "ok", refusal: null, reasoning_content: null } }])]),
    );
    expect(plain.message).toStrictEqual({ role: "assistant", content: "ok" });

    const refused = first(
      accumulateChunks([
        chunk([{ index: 0, delta: { role: "assistant", content: null, refusal: "" } }]),
        chunk([{ index: 0, delta: { refusal: "I can't " } }]),
        chunk([{ index: 0, delta: { refusal: "help with that." } }]),
      ]),
    );
    expect(refused.message).toStrictEqual({ role: "assistant", content: null, refusal: "I can't help with that." });

    const reasoned = first(
      accumulateChunks([
        chunk([{ index: 0, delta: { reasoning_content: "Think" } }]),
        chunk([{ index: 0, delta: { reasoning_content: "ing." } }]),
        chunk([{ index: 0, delta: { content: "Done." } }]),
      ]),
    );
    expect(reasoned.message).toStrictEqual({ role: "assistant", content: "Done.", reasoning_content: "Thinking." });
  });

  it("ignores delta fields the spec does not name", () => {
    const odd = { index: 0, delta: { content: "x", function_call: null, audio: { id: "a" } } } as ChunkChoice;
    expect(first(accumulateChunks([chunk([odd])])).message).toStrictEqual({ role: "assistant", content: "x" });
  });
});

describe("ChunkAccumulator: tool calls", () => {
  it("merges pieces by tool-call index and concatenates the arguments in order", () => {
    const completion = accumulateChunks([
      chunk([
        {
          index: 0,
          delta: {
            role: "assistant",
            content: null,
            tool_calls: [
              { index: 0, id: "call_a", type: "function", function: { name: "get_weather", arguments: "" } },
            ],
          },
        },
      ]),
      ...['{"ci', 'ty": ', '"Lis', 'bon"}'].map((piece) =>
        chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: piece } }] } }]),
      ),
      chunk([
        {
          index: 0,
          delta: {
            tool_calls: [{ index: 1, id: "call_b", type: "function", function: { name: "get_time", arguments: "{" } }],
          },
        },
      ]),
      chunk([{ index: 0, delta: { tool_calls: [{ index: 1, function: { arguments: "}" } }] } }]),
      chunk([{ index: 0, delta: {}, finish_reason: "tool_calls" }]),
    ]);
    expect(first(completion)).toStrictEqual({
      index: 0,
      message: {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "call_a", type: "function", function: { name: "get_weather", arguments: '{"city": "Lisbon"}' } },
          { id: "call_b", type: "function", function: { name: "get_time", arguments: "{}" } },
        ],
      },
      finish_reason: "tool_calls",
    });
  });

  it("sorts calls by index and merges pieces of two calls in one chunk", () => {
    const completion = accumulateChunks([
      chunk([
        {
          index: 0,
          delta: {
            tool_calls: [
              { index: 1, id: "call_b", type: "function", function: { name: "b", arguments: "[" } },
              { index: 0, id: "call_a", type: "function", function: { name: "a", arguments: "(" } },
            ],
          },
        },
      ]),
      chunk([
        {
          index: 0,
          delta: {
            tool_calls: [
              { index: 0, function: { arguments: ")" } },
              { index: 1, function: { arguments: "]" } },
            ],
          },
        },
      ]),
    ]);
    expect(first(completion).message.tool_calls).toStrictEqual([
      { id: "call_a", type: "function", function: { name: "a", arguments: "()" } },
      { id: "call_b", type: "function", function: { name: "b", arguments: "[]" } },
    ]);
  });

  it("keeps id, type and name from the piece that has them, without doubling repeated ones", () => {
    const completion = accumulateChunks([
      chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"a"' } }] } }]),
      chunk([
        { index: 0, delta: { tool_calls: [{ index: 0, id: "call_x", function: { name: "f", arguments: ":" } }] } },
      ]),
      chunk([
        {
          index: 0,
          delta: {
            tool_calls: [{ index: 0, id: "call_x", type: "function", function: { name: "f", arguments: "1}" } }],
          },
        },
      ]),
    ]);
    expect(first(completion).message.tool_calls).toStrictEqual([
      { id: "call_x", type: "function", function: { name: "f", arguments: '{"a":1}' } },
    ]);
  });

  it("gives a call that never got arguments an empty arguments string", () => {
    const completion = accumulateChunks([
      chunk([
        { index: 0, delta: { tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "now" } }] } },
      ]),
    ]);
    expect(first(completion).message.tool_calls).toStrictEqual([
      { id: "call_1", type: "function", function: { name: "now", arguments: "" } },
    ]);
  });

  it("has content null beside tool calls when only empty content fragments came", () => {
    const call = { index: 0, id: "call_1", type: "function", function: { name: "f", arguments: "{}" } } as const;
    const emptyThenCall = accumulateChunks([
      chunk([{ index: 0, delta: { role: "assistant", content: "" } }]),
      chunk([{ index: 0, delta: { tool_calls: [call] } }]),
    ]);
    expect(first(emptyThenCall).message.content).toBeNull();
    const textAndCall = accumulateChunks([text("Let me check."), chunk([{ index: 0, delta: { tool_calls: [call] } }])]);
    expect(first(textAndCall).message.content).toBe("Let me check.");
  });

  it("leaves tool_calls out when no tool-call piece came", () => {
    expect(first(accumulateChunks([text("x")])).message).not.toHaveProperty("tool_calls");
  });
});

describe("ChunkAccumulator: finish_reason", () => {
  it("is the last non-null one, even when it comes only on the last chunk", () => {
    const completion = accumulateChunks([
      text("a"),
      text("b"),
      chunk([{ index: 0, delta: {}, finish_reason: "length" }]),
    ]);
    expect(first(completion).finish_reason).toBe("length");
  });

  it("is not reset by a later null", () => {
    const completion = accumulateChunks([text("a", 0, "stop"), chunk([{ index: 0, delta: {}, finish_reason: null }])]);
    expect(first(completion).finish_reason).toBe("stop");
  });

  it("is null while the stream has not finished", () => {
    expect(first(accumulateChunks([text("a"), text("b")])).finish_reason).toBeNull();
  });
});

describe("ChunkAccumulator: logprobs", () => {
  it("concatenates content and refusal lists across chunks", () => {
    const completion = accumulateChunks([
      chunk([{ index: 0, delta: { role: "assistant", content: "" }, logprobs: { content: [], refusal: null } }]),
      chunk([{ index: 0, delta: { content: "Hi" }, logprobs: { content: [entry("Hi")], refusal: null } }]),
      chunk([{ index: 0, delta: { content: " there" }, logprobs: { content: [entry(" there", -1)], refusal: null } }]),
      chunk([{ index: 0, delta: { refusal: "No" }, logprobs: { content: null, refusal: [entry("No", -2)] } }]),
      chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: "stop" }]),
    ]);
    expect(first(completion).logprobs).toStrictEqual({
      content: [entry("Hi"), entry(" there", -1)],
      refusal: [entry("No", -2)],
    });
  });

  it("stays null when chunks only said null, and absent when no chunk had the field", () => {
    expect(
      first(accumulateChunks([chunk([{ index: 0, delta: { content: "a" }, logprobs: null }])])).logprobs,
    ).toBeNull();
    expect(first(accumulateChunks([text("a")]))).not.toHaveProperty("logprobs");
  });

  it("never turns Prediction Guard's per-token logprobs (numbers, or null) into the result's", () => {
    const completion = accumulateChunks([
      pgChunk([{ index: 0, delta: { role: "assistant" }, generated_text: null, logprobs: null, finish_reason: null }]),
      pgChunk([{ index: 0, delta: { content: "Hi" }, generated_text: null, logprobs: -0.25, finish_reason: null }]),
      pgChunk([{ index: 0, delta: {}, generated_text: "Hi", logprobs: 0, finish_reason: "stop" }]),
    ]);
    expect(first(completion)).toStrictEqual({
      index: 0,
      message: { role: "assistant", content: "Hi" },
      finish_reason: "stop",
    });
  });

  it("handles very long logprob lists", () => {
    const accumulator = new ChunkAccumulator();
    const many: TokenLogprob[] = new Array(200_000).fill(entry("x"));
    accumulator.add(chunk([{ index: 0, delta: { content: "x" }, logprobs: { content: many } }]));
    accumulator.add(chunk([{ index: 0, delta: { content: "x" }, logprobs: { content: many } }]));
    expect(first(accumulator.result()).logprobs?.content).toHaveLength(400_000);
  });
});

describe("ChunkAccumulator: usage", () => {
  it("is null while chunks say null, then the usage of a final chunk with empty choices (Gradient, OpenAI)", () => {
    const accumulator = new ChunkAccumulator();
    accumulator.add(chunk([{ index: 0, delta: { content: "a" } }], { usage: null }));
    expect(accumulator.result().usage).toBeNull();
    accumulator.add(chunk([{ index: 0, delta: {}, finish_reason: "stop" }], { usage: null }));
    accumulator.add(chunk([], { usage }));
    const completion = accumulator.result();
    expect(completion.usage).toStrictEqual(usage);
    expect(completion.choices).toHaveLength(1);
    expect(first(completion).message.content).toBe("a");
  });

  it("is taken from the last chunk that still carries choices (OctoAI)", () => {
    const completion = accumulateChunks([
      text("a"),
      chunk([{ index: 0, delta: {}, finish_reason: "stop" }], { usage }),
    ]);
    expect(completion.usage).toStrictEqual(usage);
    expect(first(completion).finish_reason).toBe("stop");
  });

  it("is the last non-null one, and a later null does not erase it", () => {
    const later: Usage = { prompt_tokens: 5, completion_tokens: 4, total_tokens: 9 };
    const completion = accumulateChunks([
      text("a"),
      chunk([], { usage }),
      chunk([], { usage: later }),
      chunk([], { usage: null }),
    ]);
    expect(completion.usage).toStrictEqual(later);
  });

  it("is absent when no chunk had the field (Prediction Guard)", () => {
    expect(accumulateChunks([text("a")])).not.toHaveProperty("usage");
  });
});

describe("ChunkAccumulator: OctoAI's prompt_logprobs", () => {
  const scores: PromptLogprobs = [null, { "292": { logprob: -1.5, rank: 2, decoded_token: "Hi" } }];
  const scored = (list: PromptLogprobs | null): OctoAIChatCompletionChunk =>
    chunk([{ index: 0, delta: { role: "assistant", content: "" } }], {
      prompt_logprobs: list,
    } as Partial<ChatCompletionChunk>);

  it("keeps the list of the chunk that carries it, once for all choices", () => {
    const completion = accumulateChunks([scored(scores), text("a"), text("b", 1), text("c", 0, "stop")]);
    expect(completion.prompt_logprobs).toStrictEqual(scores);
    for (const choice of completion.choices) expect(choice).not.toHaveProperty("prompt_logprobs");
  });

  it("is absent when no chunk had the field, and null when chunks only said null", () => {
    expect(accumulateChunks([text("a", 0, "stop")])).not.toHaveProperty("prompt_logprobs");
    expect(accumulateChunks([scored(null), text("a", 0, "stop")]).prompt_logprobs).toBeNull();
  });

  it("is not taken back or replaced by a later chunk", () => {
    const other: PromptLogprobs = [null, { "7": { logprob: -9999, rank: 90, decoded_token: "x" } }];
    expect(accumulateChunks([scored(scores), scored(null), scored(other)]).prompt_logprobs).toStrictEqual(scores);
  });

  it("hands each result a list of its own", () => {
    const accumulator = new ChunkAccumulator();
    accumulator.add(scored(scores));
    accumulator.result().prompt_logprobs?.push(null);
    expect(accumulator.result().prompt_logprobs).toStrictEqual(scores);
  });
});

describe("ChunkAccumulator: several choices (n > 1)", () => {
  it("merges interleaved choices by index, each with its own tool calls, sorted by index", () => {
    const call = (index: number, id: string, name: string, args: string) =>
      ({ index, id, type: "function", function: { name, arguments: args } }) as const;
    const completion = accumulateChunks([
      chunk([{ index: 1, delta: { role: "assistant", content: null, tool_calls: [call(0, "call_1a", "f", "")] } }]),
      chunk([{ index: 0, delta: { role: "assistant", content: null, tool_calls: [call(0, "call_0a", "g", "")] } }]),
      chunk([{ index: 1, delta: { tool_calls: [{ index: 0, function: { arguments: '{"x":' } }] } }]),
      chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"y":' } }] } }]),
      chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: "2}" } }] } }]),
      chunk([{ index: 1, delta: { tool_calls: [{ index: 0, function: { arguments: "1}" } }] } }]),
      chunk([{ index: 1, delta: { tool_calls: [call(1, "call_1b", "h", "{}")] } }]),
      chunk([{ index: 0, delta: {}, finish_reason: "tool_calls" }]),
      chunk([{ index: 1, delta: {}, finish_reason: "tool_calls" }]),
    ]);
    expect(completion.choices).toStrictEqual([
      {
        index: 0,
        message: { role: "assistant", content: null, tool_calls: [call(0, "call_0a", "g", '{"y":2}')].map(toCall) },
        finish_reason: "tool_calls",
      },
      {
        index: 1,
        message: {
          role: "assistant",
          content: null,
          tool_calls: [call(0, "call_1a", "f", '{"x":1}'), call(1, "call_1b", "h", "{}")].map(toCall),
        },
        finish_reason: "tool_calls",
      },
    ]);
  });

  it("takes text of several choices from one chunk", () => {
    const completion = accumulateChunks([
      chunk([
        { index: 0, delta: { content: "a" } },
        { index: 1, delta: { content: "b" } },
      ]),
      chunk([
        { index: 1, delta: { content: "B" }, finish_reason: "stop" },
        { index: 0, delta: { content: "A" }, finish_reason: "length" },
      ]),
    ]);
    expect(completion.choices.map((c) => [c.index, c.message.content, c.finish_reason])).toEqual([
      [0, "aA", "length"],
      [1, "bB", "stop"],
    ]);
  });
});

function toCall(call: { id: string; type: "function"; function: { name: string; arguments: string } }) {
  return { id: call.id, type: call.type, function: call.function };
}

describe("ChunkAccumulator: Prediction Guard generated_text", () => {
  it("is the content when no content delta came", () => {
    const completion = accumulateChunks([
      pgChunk([{ index: 0, delta: { role: "assistant" }, generated_text: null, logprobs: null, finish_reason: null }]),
      pgChunk([{ index: 0, delta: {}, generated_text: null, logprobs: -0.1, finish_reason: null }]),
      pgChunk([{ index: 0, delta: {}, generated_text: "Whole text.", logprobs: 0, finish_reason: "stop" }]),
    ]);
    expect(first(completion).message.content).toBe("Whole text.");
  });

  it("does not replace content deltas that did come", () => {
    const completion = accumulateChunks([
      pgChunk([{ index: 0, delta: { content: "Whole" }, generated_text: null, logprobs: -0.1 }]),
      pgChunk([{ index: 0, delta: { content: " text." }, generated_text: null, logprobs: -0.2 }]),
      pgChunk([{ index: 0, delta: {}, generated_text: "Whole text.", logprobs: 0, finish_reason: "stop" }]),
    ]);
    expect(first(completion).message.content).toBe("Whole text.");
  });

  it("leaves content null while generated_text is still null", () => {
    const completion = accumulateChunks([pgChunk([{ index: 0, delta: {}, generated_text: null, logprobs: -0.1 }])]);
    expect(first(completion).message.content).toBeNull();
  });
});

describe("ChunkAccumulator: incremental use", () => {
  it("answers result() mid-stream, goes on after it, and never changes a result it handed out", () => {
    const accumulator = new ChunkAccumulator();
    accumulator.add(
      chunk([{ index: 0, delta: { role: "assistant", content: "Hel" }, logprobs: { content: [entry("Hel")] } }]),
    );
    accumulator.add(
      chunk([
        {
          index: 0,
          delta: { tool_calls: [{ index: 0, id: "c", type: "function", function: { name: "f", arguments: "{" } }] },
        },
      ]),
    );
    const early = accumulator.result();
    const earlyCopy = structuredClone(early);
    expect(accumulator.result()).toStrictEqual(early);

    accumulator.add(chunk([{ index: 0, delta: { content: "lo" }, logprobs: { content: [entry("lo")] } }]));
    accumulator.add(chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: "}" } }] } }]));
    accumulator.add(chunk([{ index: 1, delta: { content: "second" } }]));
    accumulator.add(chunk([{ index: 0, delta: {}, finish_reason: "tool_calls" }], { usage }));

    expect(early).toStrictEqual(earlyCopy);
    expect(first(early).message.content).toBe("Hel");
    const late = accumulator.result();
    expect(late.choices).toHaveLength(2);
    expect(first(late)).toStrictEqual({
      index: 0,
      message: {
        role: "assistant",
        content: "Hello",
        tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "{}" } }],
      },
      logprobs: { content: [entry("Hel"), entry("lo")] },
      finish_reason: "tool_calls",
    });
    expect(late.usage).toStrictEqual(usage);
    expect(accumulator.result()).toStrictEqual(late);
  });

  it("accepts any iterable, a generator included", () => {
    function* chunks() {
      yield text("a");
      yield text("b", 0, "stop");
    }
    expect(first(accumulateChunks(chunks())).message.content).toBe("ab");
  });

  it("keeps up with a long stream of one-token chunks", () => {
    const accumulator = new ChunkAccumulator();
    for (let i = 0; i < 100_000; i++) {
      accumulator.add(text("x"));
      if (i % 10_000 === 0) accumulator.result();
    }
    expect(first(accumulator.result()).message.content).toHaveLength(100_000);
  });
});

describe("ChunkAccumulator: impossible input", () => {
  it("throws a StreamError that says so when no chunk was added", () => {
    expect(() => new ChunkAccumulator().result()).toThrow(StreamError);
    expect(() => accumulateChunks([])).toThrow(/No chunk was added.*ended before its first chunk/);
  });

  it("throws a StreamError for a chunk without a choices array", () => {
    const accumulator = new ChunkAccumulator();
    accumulator.add(text("a"));
    const broken = { ...base, choices: undefined } as unknown as ChatCompletionChunk;
    expect(() => accumulator.add(broken)).toThrow(StreamError);
    expect(() => accumulator.add(broken)).toThrow(/Chunk 3 of the stream has no `choices`/);
  });

  it("throws a StreamError for a chunk that is not an object", () => {
    expect(() => accumulateChunks([null as unknown as ChatCompletionChunk])).toThrow(/Chunk 1 of the stream is null/);
  });

  it("throws a StreamError for a choice or tool call index that is not an integer >= 0", () => {
    expect(() => accumulateChunks([chunk([{ index: -1, delta: { content: "a" } }])])).toThrow(StreamError);
    expect(() => accumulateChunks([chunk([{ index: 0.5, delta: {} }])])).toThrow(/choice with index 0.5/);
    expect(() =>
      accumulateChunks([chunk([{ index: 0, delta: { tool_calls: [{ index: "0" as unknown as number }] } }])]),
    ).toThrow(/tool call piece with index "0" in choice 0/);
  });
});
