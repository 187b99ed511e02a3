import { describe, expect, it } from "vitest";
import { niceScale } from "./chart";

describe("niceScale", () => {
  it("rounds to 1-2-5 steps covering the data", () => {
    expect(niceScale(0, 230_000)).toEqual({ min: 0, max: 300_000, ticks: [0, 100_000, 200_000, 300_000] });
    const s = niceScale(812_345, 1_234_567);
    expect(s.min).toBeLessThanOrEqual(812_345);
    expect(s.max).toBeGreaterThanOrEqual(1_234_567);
    expect(s.ticks[1] - s.ticks[0]).toBe(200_000);
  });
  it("copes with a flat series", () => {
    const s = niceScale(5000, 5000);
    expect(s.max).toBeGreaterThan(s.min);
  });
});
