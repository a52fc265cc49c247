import type { ChoiceEvent } from "../engine/run-choices.js";

/**
 * Passes the choices' events on with the one that carries the prompt's log probabilities first,
 * so that they ride on the stream's first chunk: only choice 0 scores the prompt, and another
 * choice's first pieces can come back before its scores. What comes before them waits: a few
 * tokens at most, since choice 0's prompt decodes in the first batches.
 */
export async function* promptLogprobsFirst(events: AsyncIterable<ChoiceEvent>): AsyncGenerator<ChoiceEvent> {
  const held: ChoiceEvent[] = [];
  let scored = false;
  for await (const event of events) {
    if (scored) yield event;
    else if (event.kind === "piece" && event.piece.promptLogprobs) {
      scored = true;
      yield event;
      yield* held.splice(0);
    } else held.push(event);
  }
  // Choice 0 ended without scores (the client left): the rest still goes out in order.
  yield* held;
}
