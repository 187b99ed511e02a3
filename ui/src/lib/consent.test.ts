import { describe, expect, it } from "vitest";
import { consentCountdown } from "./consent";

const now = new Date("2026-11-24T01:00:00Z"); // 10:00 JST

describe("consent countdown", () => {
  it("counts JST days and warns in the last two weeks", () => {
    expect(consentCountdown("2027-02-22T01:15:00Z", now)).toEqual({ days: 90, level: "ok" });
    expect(consentCountdown("2026-12-08T01:00:00Z", now)).toEqual({ days: 14, level: "soon" });
    expect(consentCountdown("2026-11-25T00:00:00Z", now)).toEqual({ days: 1, level: "soon" });
  });
  it("says today until the moment it ends, then expired", () => {
    expect(consentCountdown("2026-11-24T14:59:00Z", now)).toEqual({ days: 0, level: "today" });
    expect(consentCountdown("2026-11-24T00:59:00Z", now)).toEqual({ days: 0, level: "expired" });
    expect(consentCountdown("2026-11-20T00:00:00Z", now).level).toBe("expired");
  });
});
