/**
 * Holds back generated text that might be the start of a stop string, so a stop string never
 * reaches the client, not even in part. `push` returns what is safe to send now.
 */
export class StopStringFilter {
  #pending = "";
  #stopped = false;

  constructor(private readonly stops: readonly string[]) {}

  get stopped(): boolean {
    return this.#stopped;
  }

  push(text: string): string {
    if (this.#stopped) return "";
    if (this.stops.length === 0) return text;
    this.#pending += text;
    let cut = -1;
    for (const stop of this.stops) {
      const at = this.#pending.indexOf(stop);
      if (at >= 0 && (cut < 0 || at < cut)) cut = at;
    }
    if (cut >= 0) {
      this.#stopped = true;
      const released = this.#pending.slice(0, cut);
      this.#pending = "";
      return released;
    }
    const hold = this.#heldSuffixLength();
    const released = this.#pending.slice(0, this.#pending.length - hold);
    this.#pending = this.#pending.slice(this.#pending.length - hold);
    return released;
  }

  /** What is still held when generation ends without a stop string: it was not one, so it is sent. */
  flush(): string {
    const rest = this.#stopped ? "" : this.#pending;
    this.#pending = "";
    return rest;
  }

  /** Length of the longest end of the pending text that begins some stop string. */
  #heldSuffixLength(): number {
    let longest = 0;
    for (const stop of this.stops) {
      for (let length = Math.min(stop.length - 1, this.#pending.length); length > longest; length--) {
        if (this.#pending.endsWith(stop.slice(0, length))) {
          longest = length;
          break;
        }
      }
    }
    return longest;
  }
}
