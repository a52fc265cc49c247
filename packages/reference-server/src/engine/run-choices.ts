import type { GeneratedPiece, GenerationResult } from "./generate.js";

export type ChoiceEvent =
  | { kind: "piece"; index: number; piece: GeneratedPiece }
  | { kind: "done"; index: number; result: GenerationResult };

/** Runs every choice at once (they share the context's batches) and hands out their events in arrival order. */
export async function* mergeChoices(
  generators: AsyncGenerator<GeneratedPiece, GenerationResult, undefined>[],
  signal: AbortSignal,
): AsyncGenerator<ChoiceEvent> {
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
