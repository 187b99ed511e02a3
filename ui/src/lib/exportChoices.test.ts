import { describe, expect, it } from "vitest";
import type { ExportFormat } from "../bindings/commands";
import { EXPORT_CHOICES } from "./exportChoices";

// Keyed by the generated type: a format the core adds is a compile error here until it is listed.
const FORMATS: Record<ExportFormat, true> = {
  csv: true,
  xlsx: true,
  ofx: true,
  qif: true,
  ledger: true,
  hledger: true,
  beancount: true,
  jsonl: true,
  moneyforward: true,
  zaim: true,
};

describe("export choices", () => {
  it("offer every format the core writes, the CSV layouts in UTF-8 and Shift_JIS", () => {
    for (const format of Object.keys(FORMATS) as ExportFormat[]) {
      const offered = EXPORT_CHOICES.filter((c) => c.format === format);
      expect(offered.length, format).toBeGreaterThan(0);
    }
    for (const format of ["csv", "moneyforward", "zaim"] as ExportFormat[]) {
      expect(EXPORT_CHOICES.filter((c) => c.format === format).map((c) => c.shiftJis).sort()).toEqual([false, true]);
    }
    expect(new Set(EXPORT_CHOICES.map((c) => c.key)).size).toBe(EXPORT_CHOICES.length);
  });
});
