/**
 * A stop string for the stop probes: a word from the middle of the plain reply (letters only, at
 * least three, never the reply's first characters). Asked again at temperature 0 with the same
 * seed, a backend produces the same text up to that word, so the stop really is hit and must not
 * show up in the output.
 */
export function pickStopWord(text: string): string | undefined {
  const candidates = [...text.matchAll(/[A-Za-z]{3,}/g)].filter((match) => (match.index ?? 0) > 0);
  return candidates[Math.floor(candidates.length / 2)]?.[0];
}
