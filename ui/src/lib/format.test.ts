import { describe, expect, it } from "vitest";
import { daysUntil, formatCalendarDate, formatDateJst, formatDateTimeJst, formatSignedYen, formatYen, jstDate, parseDateInput } from "./format";

describe("yen", () => {
  it("groups thousands with no decimals", () => {
    expect(formatYen(1234567)).toBe("¥1,234,567");
    expect(formatYen(0)).toBe("¥0");
    expect(formatYen(-1234)).toBe("-¥1,234");
    expect(formatYen(9_007_199_254_740)).toBe("¥9,007,199,254,740");
  });
  it("signs movements", () => {
    expect(formatSignedYen(250000)).toBe("+¥250,000");
    expect(formatSignedYen(-3000)).toBe("-¥3,000");
  });
});

describe("JST dates", () => {
  it("shows an instant on its Tokyo calendar day", () => {
    // 15:30 UTC on the 23rd is 00:30 on the 24th in Tokyo.
    expect(formatDateJst("2026-11-23T15:30:00Z")).toBe("2026/11/24");
    expect(formatDateTimeJst("2026-11-23T15:30:00Z")).toBe("2026/11/24 00:30");
    expect(formatDateTimeJst("2026-11-24T01:15:00Z")).toBe("2026/11/24 10:15");
  });
  it("writes calendar dates with slashes", () => {
    expect(formatCalendarDate("2026-11-24")).toBe("2026/11/24");
  });
  it("counts days to a deadline in JST calendar days", () => {
    const now = new Date("2026-11-24T14:00:00Z"); // 23:00 JST on the 24th
    expect(daysUntil("2026-11-24T16:00:00Z", now)).toBe(1); // 01:00 JST on the 25th
    expect(daysUntil("2027-02-22T01:15:00Z", now)).toBe(90);
    expect(daysUntil("2026-11-20T00:00:00Z", now)).toBe(-4);
  });
});

describe("typed dates", () => {
  it("accepts the ways people write a date and normalises them", () => {
    expect(parseDateInput("2026/11/24")).toBe("2026-11-24");
    expect(parseDateInput("2026-11-24")).toBe("2026-11-24");
    expect(parseDateInput(" 2026/1/5 ")).toBe("2026-01-05");
    expect(parseDateInput("20261124")).toBe("2026-11-24");
    expect(parseDateInput("２０２６／１１／２４")).toBe("2026-11-24");
  });
  it("tells an empty field from a wrong one", () => {
    expect(parseDateInput("")).toBeNull();
    expect(parseDateInput("2026/02/30")).toBeUndefined();
    expect(parseDateInput("24/11/2026")).toBeUndefined();
    expect(parseDateInput("昨日")).toBeUndefined();
  });
  it("gives today's JST date", () => {
    expect(jstDate(new Date("2026-11-23T15:30:00Z"))).toBe("2026-11-24");
  });
});
