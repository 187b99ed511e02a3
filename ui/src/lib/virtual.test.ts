import { describe, expect, it } from "vitest";
import { range, visibleWindow } from "./virtual";

describe("visibleWindow", () => {
  it("renders only the rows in view plus the overscan", () => {
    const w = visibleWindow(0, 360, 36, 100_000, 8);
    expect(w).toEqual({ start: 0, end: 19, offsetTop: 0, totalHeight: 3_600_000 });
  });
  it("follows the scroll position deep into a long list", () => {
    const w = visibleWindow(36 * 50_000 + 10, 360, 36, 100_000, 8);
    expect(w.start).toBe(49_992);
    expect(w.end).toBe(50_019);
    expect(w.offsetTop).toBe(49_992 * 36);
    expect(w.end - w.start).toBeLessThan(40);
  });
  it("clamps at the end and beyond", () => {
    const w = visibleWindow(10_000_000, 360, 36, 100, 8);
    expect(w.end).toBe(100);
    expect(w.start).toBe(82);
  });
  it("handles an empty list", () => {
    expect(visibleWindow(0, 360, 36, 0)).toEqual({ start: 0, end: 0, offsetTop: 0, totalHeight: 0 });
  });
});

describe("range", () => {
  it("lists the indexes from start up to end", () => {
    expect(range(3, 6)).toEqual([3, 4, 5]);
    expect(range(5, 5)).toEqual([]);
  });
});
