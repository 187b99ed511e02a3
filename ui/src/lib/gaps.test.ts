import { describe, expect, it } from "vitest";
import type { GapItem } from "../bindings/commands";
import { gapDeadline, gapsInRange, gapsInSlice, withGapMarkers } from "./gaps";

const gap = (dateFrom: string, dateTo: string): GapItem => ({ dateFrom, dateTo, detectedAt: "2026-11-24T00:00:00Z" });
const row = (transactionDate: string) => ({ transactionDate });

describe("gap deadline", () => {
  it("is 90 days after the last synced day", () => {
    // Synced through 2026-09-01: on 2026-11-30 the window starts on 2026-09-02, nothing lost yet.
    expect(gapDeadline("2026-09-01", "2026-11-24")).toEqual({ firstAtRisk: "2026-09-02", lastDay: "2026-11-30", daysLeft: 6 });
    expect(gapDeadline("2026-09-01", "2026-11-30").daysLeft).toBe(0);
    expect(gapDeadline("2026-09-01", "2026-12-01").daysLeft).toBe(-1);
  });
  it("crosses month and year ends", () => {
    expect(gapDeadline("2026-12-15", "2027-01-01")).toEqual({ firstAtRisk: "2026-12-16", lastDay: "2027-03-15", daysLeft: 73 });
  });
});

describe("gap markers", () => {
  const rows = [row("2026-11-20"), row("2026-10-01"), row("2026-06-30"), row("2026-06-01")];

  it("sit between the rows on either side of the gap", () => {
    const lines = withGapMarkers(rows, [gap("2026-07-01", "2026-09-30")], true);
    expect(lines.map((l) => (l.kind === "gap" ? "gap" : l.row.transactionDate))).toEqual([
      "2026-11-20",
      "2026-10-01",
      "gap",
      "2026-06-30",
      "2026-06-01",
    ]);
  });

  it("wait for older rows before placing a gap below the last loaded row", () => {
    const old = gap("2026-01-01", "2026-03-31");
    expect(withGapMarkers(rows, [old], false).some((l) => l.kind === "gap")).toBe(false);
    expect(withGapMarkers(rows, [old], true).at(-1)).toEqual({ kind: "gap", gap: old });
  });

  it("orders several gaps newest first, and shows none without rows", () => {
    const a = gap("2026-07-01", "2026-07-31");
    const b = gap("2026-10-05", "2026-11-10");
    const lines = withGapMarkers(rows, [a, b], true);
    expect(lines.filter((l) => l.kind === "gap").map((l) => (l.kind === "gap" ? l.gap.dateFrom : ""))).toEqual([
      "2026-10-05",
      "2026-07-01",
    ]);
    expect(lines[1]).toEqual({ kind: "gap", gap: b });
    expect(withGapMarkers([], [a], true)).toEqual([]);
  });

  it("split into slices at any row, give the same lines as the whole", () => {
    const all = [row("2026-11-20"), row("2026-10-01"), row("2026-10-01"), row("2026-06-30"), row("2026-06-01")];
    const gaps = [gap("2026-11-21", "2026-11-21"), gap("2026-10-01", "2026-10-01"), gap("2026-07-01", "2026-09-30"), gap("2026-01-01", "2026-01-31")];
    const whole = withGapMarkers(all, gaps, true);
    for (let cut = 0; cut <= all.length; cut++) {
      const first = withGapMarkers(all.slice(0, cut), gaps, false);
      const rest = withGapMarkers(all.slice(cut), gaps, true, cut === 0 ? null : all[cut - 1].transactionDate);
      expect([...first, ...rest]).toEqual(whole);
    }
  });

  it("count a slice's gaps without its rows", () => {
    const gaps = [gap("2026-07-01", "2026-09-30"), gap("2026-01-01", "2026-01-31")];
    expect(gapsInSlice(gaps, "2026-10-01", "2026-06-30", false)).toEqual([gaps[0]]);
    expect(gapsInSlice(gaps, "2026-10-01", "2026-06-30", true)).toEqual(gaps);
    // An empty last slice after some rows holds the gaps older than all of them.
    expect(gapsInSlice(gaps, "2026-06-30", null, true)).toEqual([gaps[1]]);
    // No rows at all: no gaps.
    expect(gapsInSlice(gaps, null, null, true)).toEqual([]);
  });

  it("keeps only the gaps that overlap a date filter", () => {
    const a = gap("2026-07-01", "2026-07-31");
    expect(gapsInRange([a], "2026-07-31", null)).toEqual([a]);
    expect(gapsInRange([a], "2026-08-01", null)).toEqual([]);
    expect(gapsInRange([a], null, "2026-06-30")).toEqual([]);
    expect(gapsInRange([a], null, null)).toEqual([a]);
  });
});
