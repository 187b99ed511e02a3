import { describe, expect, it } from "vitest";
import { niceScale, splitAtGaps } from "./chart";

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

describe("splitAtGaps", () => {
  const p = (date: string) => ({ date, balance: 1 });
  it("breaks the line where a lost period lies between two points", () => {
    const points = [p("2026-08-01"), p("2026-08-20"), p("2026-12-01"), p("2026-12-02")];
    const runs = splitAtGaps(points, [{ dateFrom: "2026-08-21" }]);
    expect(runs.map((r) => r.map((x) => x.date))).toEqual([
      ["2026-08-01", "2026-08-20"],
      ["2026-12-01", "2026-12-02"],
    ]);
  });
  it("keeps one run without gaps, and none without points", () => {
    expect(splitAtGaps([p("2026-08-01"), p("2026-08-02")], [])).toHaveLength(1);
    expect(splitAtGaps([], [{ dateFrom: "2026-08-21" }])).toEqual([]);
  });
});
