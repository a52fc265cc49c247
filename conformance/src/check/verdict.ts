/** What one check concluded: the runner adds the id, severity, rationale and timing. */
export type Verdict =
  | { outcome: "pass"; note?: string }
  | { outcome: "fail"; expected: string; got: string }
  | { outcome: "skip"; note: string };

export function pass(note?: string): Verdict {
  return note === undefined ? { outcome: "pass" } : { outcome: "pass", note };
}

export function fail(expected: string, got: string): Verdict {
  return { outcome: "fail", expected, got };
}

export function skip(note: string): Verdict {
  return { outcome: "skip", note };
}

/**
 * Collects the problems a check finds while walking many chunks, and turns them into one verdict:
 * a backend author wants the first few concrete cases, not every one of a thousand identical ones.
 */
export class Findings {
  readonly #problems: string[] = [];
  #count = 0;

  constructor(private readonly expected: string) {}

  add(problem: string): void {
    this.#count += 1;
    if (this.#problems.length < 3) this.#problems.push(problem);
  }

  get empty(): boolean {
    return this.#count === 0;
  }

  verdict(note?: string): Verdict {
    if (this.#count === 0) return pass(note);
    const more = this.#count > this.#problems.length ? ` (and ${this.#count - this.#problems.length} more)` : "";
    return fail(this.expected, `${this.#problems.join("; ")}${more}`);
  }
}
