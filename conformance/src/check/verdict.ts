/** What one check concluded: the runner adds the id, severity, rationale and timing. */
export type Verdict =
  | { outcome: "pass"; note?: string }
  | { outcome: "fail"; expected: string; got: string }
  | { outcome: "skip"; note: string }
  | { outcome: "no-evidence"; expected: string; got: string };

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
 * What a check needs to judge never came: thrown from wherever a check finds that out (the probes'
 * accessors, the evidence helpers), and turned by the runner into the `no-evidence` outcome.
 */
export class NoEvidence extends Error {
  constructor(
    /** The evidence the check needs, e.g. "at least one chunk of the plain stream". */
    readonly needed: string,
    /** What there was instead, e.g. "the stream had 0 chunks". */
    readonly got: string,
  ) {
    super(`needs ${needed}; got ${got}`);
  }
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

  /** The verdict; with no problem found it is a pass, which the caller must have evidence for. */
  verdict(note?: string): Verdict {
    if (this.#count === 0) return pass(note);
    const more = this.#count > this.#problems.length ? ` (and ${this.#count - this.#problems.length} more)` : "";
    return fail(this.expected, `${this.#problems.join("; ")}${more}`);
  }
}
