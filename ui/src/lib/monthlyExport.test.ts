import { describe, expect, it } from "vitest";
import type { MonthlyExportStatus } from "../bindings/commands";
import { translate } from "./i18n";
import { monthlyChoiceKey, monthlySettings, monthlyStatusLine } from "./monthlyExport";

const t = (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) => translate("ja", key, vars);

function status(outcome: MonthlyExportStatus["outcome"]): MonthlyExportStatus {
  return { month: "2026-10", checkedAt: "2026-11-10T00:00:00Z", outcome };
}

describe("monthly export settings", () => {
  it("round-trips the format menu, Shift_JIS CSV as its own entry", () => {
    expect(monthlySettings("csvShiftJis", "  /data/kura  ")).toEqual({ folder: "/data/kura", format: "csv", shiftJis: true });
    expect(monthlyChoiceKey({ folder: "/x", format: "csv", shiftJis: true })).toBe("csvShiftJis");
    expect(monthlyChoiceKey({ folder: "/x", format: "csv", shiftJis: false })).toBe("csv");
    expect(monthlyChoiceKey(monthlySettings("beancount", "/x"))).toBe("beancount");
  });

  it("describes each outcome, failures as failures", () => {
    expect(monthlyStatusLine(status({ state: "written", path: "/x/kura-2026-10.csv", rows: 12 }), t)).toEqual({
      text: "2026-10 分を保存しました（12 件）: /x/kura-2026-10.csv",
      failed: false,
    });
    expect(monthlyStatusLine(status({ state: "exists", path: "/x/kura-2026-10.csv" }), t).text).toContain("保存済み");
    expect(monthlyStatusLine(status({ state: "waitingForSync", accounts: 2 }), t).text).toContain("2 口座");
    const failed = monthlyStatusLine(
      status({ state: "failed", error: { kind: "invalid", message: "the monthly export folder /x does not exist", hint: null, subject: null } }),
      t,
    );
    expect(failed.failed).toBe(true);
    expect(failed.text).toContain("/x does not exist");
  });
});
