// The monthly export in Settings: which menu entry a saved choice is, the choice a menu entry
// and folder make, and one line on the latest check.

import type { MonthlyExportSettings, MonthlyExportStatus } from "../bindings/commands";
import type { Locale } from "../context";
import { EXPORT_CHOICES } from "./exportChoices";

/** The format menu's key for saved settings (CSV in Shift_JIS is its own entry). */
export function monthlyChoiceKey(settings: MonthlyExportSettings): string {
  return EXPORT_CHOICES.find((c) => c.format === settings.format && c.shiftJis === settings.shiftJis)?.key ?? "csv";
}

/** The settings a menu entry and folder make; the core checks the folder when they are saved. */
export function monthlySettings(choiceKey: string, folder: string): MonthlyExportSettings {
  const choice = EXPORT_CHOICES.find((c) => c.key === choiceKey) ?? EXPORT_CHOICES[0];
  return { folder: folder.trim(), format: choice.format, shiftJis: choice.shiftJis };
}

/** The latest check, for people: the file written or found, what it waits for, or the failure. */
export function monthlyStatusLine(status: MonthlyExportStatus, t: Locale["t"]): { text: string; failed: boolean } {
  const month = status.month;
  const outcome = status.outcome;
  switch (outcome.state) {
    case "written":
      return { text: t("settings.monthly.written", { month, rows: outcome.rows, path: outcome.path }), failed: false };
    case "exists":
      return { text: t("settings.monthly.exists", { month, path: outcome.path }), failed: false };
    case "waitingForSync":
      return { text: t("settings.monthly.waiting", { month, count: outcome.accounts }), failed: false };
    case "failed":
      return { text: t("settings.monthly.failed", { month, message: outcome.error.message }), failed: true };
  }
}
