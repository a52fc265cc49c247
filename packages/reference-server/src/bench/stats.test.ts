import { describe, expect, it } from "vitest";
import { formatSummary, markdownTable, median, pairedRatios, summarize } from "./stats.js";

describe("median", () => {
  it("takes the middle sample of an odd count and the mean of the two middle ones of an even count", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe("summaries", () => {
  it("gives median, min and max, and nothing for no samples", () => {
    expect(summarize([5, 1, 3])).toEqual({ median: 3, min: 1, max: 5 });
    expect(summarize([])).toBeUndefined();
  });

  it("pairs samples of the same round", () => {
    expect(pairedRatios([2, 9, 4], [1, 3])).toEqual([2, 3]);
  });

  it("formats median (min–max) with grouped digits, n/a without samples", () => {
    expect(formatSummary({ median: 2869.4, min: 1000, max: 3200.2 }, 0)).toBe("2,869 (1,000–3,200)");
    expect(formatSummary({ median: 0.5, min: 0.25, max: 0.75 }, 2)).toBe("0.50 (0.25–0.75)");
    expect(formatSummary(undefined, 2)).toBe("n/a");
  });
});

describe("markdownTable", () => {
  it("pads every column to its widest cell", () => {
    expect(markdownTable(["a", "bb"], [["ccc", "d"]])).toBe("| a   | bb |\n| --- | -- |\n| ccc | d  |");
  });
});
