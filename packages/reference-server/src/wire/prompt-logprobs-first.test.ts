import { describe, expect, it } from "vitest";
import type { ChoiceEvent } from "../engine/run-choices.js";
import { promptLogprobsFirst } from "./prompt-logprobs-first.js";

const piece = (index: number, text: string): ChoiceEvent => ({ kind: "piece", index, piece: { text, logprobs: [] } });
const scores: ChoiceEvent = {
  kind: "piece",
  index: 0,
  piece: { text: "", logprobs: [], promptLogprobs: [null, { "5": { logprob: -1, rank: 2, decoded_token: "a" } }] },
};
const done = (index: number): ChoiceEvent => ({
  kind: "done",
  index,
  result: { finishReason: "stop", completionTokens: 1 },
});

async function collect(events: ChoiceEvent[]): Promise<ChoiceEvent[]> {
  async function* source() {
    yield* events;
  }
  const out: ChoiceEvent[] = [];
  for await (const event of promptLogprobsFirst(source())) out.push(event);
  return out;
}

describe("promptLogprobsFirst", () => {
  it("moves the event with the prompt's scores before what another choice sent first", async () => {
    const early = [piece(1, "Hi"), done(1)];
    expect(await collect([...early, scores, piece(0, "Yo"), done(0)])).toEqual([
      scores,
      ...early,
      piece(0, "Yo"),
      done(0),
    ]);
  });

  it("passes everything on, in order, when no scores come", async () => {
    const events = [piece(1, "Hi"), piece(0, "Yo"), done(0), done(1)];
    expect(await collect(events)).toEqual(events);
  });
});
