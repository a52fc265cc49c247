import { expect } from "vitest";

/** The index of the first line containing `fragment`, failing the test when there is none. */
export function lineIndex(lines: string[], fragment: string): number {
  const index = lines.findIndex((line) => line.includes(fragment));
  expect(index, `a line containing ${JSON.stringify(fragment)}`).toBeGreaterThanOrEqual(0);
  return index;
}
