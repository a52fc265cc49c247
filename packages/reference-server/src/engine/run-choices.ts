import type { GeneratedPiece, GenerationResult } from "./generate.js";

export type ChoiceEvent =
  | { kind: "piece"; index: number; piece: GeneratedPiece }
  | { kind: "done"; index: number; result: GenerationResult };

/** Runs every choice at once (they share the context's batches) and hands out their events in arrival order. */
export async function* mergeChoices(
  generators: AsyncGenerator<GeneratedPiece, GenerationResult, undefined>[],
  signal: AbortSignal,
): AsyncGenerator<ChoiceEvent> {
  if (generators.length === 1) {
    yield* single(generators[0] as AsyncGenerator<GeneratedPiece, GenerationResult, undefined>, signal);
    return;
  }
  const pending = new Map<number, Promise<{ index: number; step: IteratorResult<GeneratedPiece, GenerationResult> }>>();
  const pull = (index: number) => {
    const generator = generators[index] as AsyncGenerator<GeneratedPiece, GenerationResult, undefined>;
    pending.set(
      index,
      generator.next().then((step) => ({ index, step })),
    );
  };
  for (let index = 0; index < generators.length; index++) pull(index);
  try {
    while (pending.size > 0) {
      if (signal.aborted) return;
      const { index, step } = await Promise.race(pending.values());
      if (step.done) {
        pending.delete(index);
        yield { kind: "done", index, result: step.value };
      } else {
        pull(index);
        yield { kind: "piece", index, piece: step.value };
      }
    }
  } finally {
    // Stops choices still running (client gone, or an error): each frees its evaluation. A choice
    // that failed is not asked again, and its failure is not left unhandled.
    for (const step of pending.values()) step.catch(() => {});
    await Promise.allSettled(generators.map((generator) => generator.return(undefined as never)));
  }
}

/** One choice: its events straight from its generator, without a race per token. */
async function* single(
  generator: AsyncGenerator<GeneratedPiece, GenerationResult, undefined>,
  signal: AbortSignal,
): AsyncGenerator<ChoiceEvent> {
  // The next piece is asked for before this one is handed out, so the next decode runs while the
  // consumer writes this one.
  let next: Promise<IteratorResult<GeneratedPiece, GenerationResult>> | undefined = generator.next();
  try {
    for (;;) {
      if (signal.aborted) return;
      const step: IteratorResult<GeneratedPiece, GenerationResult> = await next;
      if (step.done) {
        next = undefined;
        yield { kind: "done", index: 0, result: step.value };
        return;
      }
      next = generator.next();
      yield { kind: "piece", index: 0, piece: step.value };
    }
  } finally {
    // As in mergeChoices: a choice still running (client gone, or an error) frees its evaluation,
    // and a failure nobody waits for is not left unhandled.
    if (next) {
      next.catch(() => {});
      await Promise.allSettled([generator.return(undefined as never)]);
    }
  }
}
