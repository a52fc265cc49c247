import { type AnyChatCompletionChunk, accumulateChunks } from "@chatwire/core";
import { describe, expect, it } from "vitest";
import { loadFixtures } from "../fixture.js";
import { expectedCompletion, NotAssemblable } from "./expected-completion.js";

const streamed = loadFixtures().filter((fixture) => (fixture.expect.chunks?.length ?? 0) > 0);

describe("the expectations' accumulator agrees with core's on every fixture", () => {
  it("has streamed fixtures to hold them to", () => {
    expect(streamed.length).toBeGreaterThan(20);
  });

  it.each(streamed.map((fixture) => [`${fixture.dialect}/${fixture.name}`, fixture]))("%s", (_, fixture) => {
    const chunks = fixture.expect.chunks ?? [];
    expect(expectedCompletion(chunks)).toEqual(accumulateChunks(chunks as unknown as AnyChatCompletionChunk[]));
  });
});

describe("the expectations' accumulator", () => {
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({
    id: "c",
    object: "chat.completion.chunk",
    created: 1,
    model: "m",
    choices,
    ...extra,
  });

  it("joins content and tool-call arguments per choice, keeps the last finish_reason and the usage", () => {
    const completion = expectedCompletion([
      chunk([{ index: 1, delta: { role: "assistant", content: "b" }, finish_reason: null }]),
      chunk([{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }]),
      chunk([
        {
          index: 0,
          delta: { tool_calls: [{ index: 0, id: "t", type: "function", function: { name: "f", arguments: '{"a"' } }] },
          finish_reason: null,
        },
      ]),
      chunk([
        {
          index: 0,
          delta: { tool_calls: [{ index: 0, function: { arguments: ":1}" } }] },
          finish_reason: "tool_calls",
        },
      ]),
      chunk([{ index: 1, delta: { content: "c" }, finish_reason: "stop" }]),
      chunk([], { usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } }),
    ]);
    expect(completion).toEqual({
      id: "c",
      object: "chat.completion",
      created: 1,
      model: "m",
      usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: null,
            tool_calls: [{ id: "t", type: "function", function: { name: "f", arguments: '{"a":1}' } }],
          },
          finish_reason: "tool_calls",
        },
        { index: 1, message: { role: "assistant", content: "bc" }, finish_reason: "stop" },
      ],
    });
  });

  it("refuses what has no chunk's shape", () => {
    expect(() => expectedCompletion([])).toThrow(NotAssemblable);
    expect(() => expectedCompletion([{ id: "c" }])).toThrow(/no choices array/);
    expect(() => expectedCompletion([chunk([{ delta: {} }])])).toThrow(/without an index/);
  });
});
