// The export format menu, shared by the export dialog and the monthly export in Settings.

import type { ExportFormat } from "../bindings/commands";

export interface ExportChoice {
  key: string;
  format: ExportFormat;
  shiftJis: boolean;
  label: string;
  ext: string;
}

/**
 * Each core format; the CSV layouts twice (UTF-8 for Excel, Shift_JIS for older apps). (exportChoices.test.ts
 * fails to compile when the core adds a format, until it is offered here.)
 */
export const EXPORT_CHOICES: ExportChoice[] = [
  { key: "csv", format: "csv", shiftJis: false, label: "CSV (Excel, UTF-8)", ext: "csv" },
  { key: "csvShiftJis", format: "csv", shiftJis: true, label: "CSV (Shift_JIS)", ext: "csv" },
  { key: "xlsx", format: "xlsx", shiftJis: false, label: "Excel (.xlsx)", ext: "xlsx" },
  { key: "ofx", format: "ofx", shiftJis: false, label: "OFX", ext: "ofx" },
  { key: "qif", format: "qif", shiftJis: false, label: "QIF", ext: "qif" },
  { key: "ledger", format: "ledger", shiftJis: false, label: "Ledger", ext: "journal" },
  { key: "hledger", format: "hledger", shiftJis: false, label: "hledger", ext: "journal" },
  { key: "beancount", format: "beancount", shiftJis: false, label: "Beancount", ext: "beancount" },
  { key: "jsonl", format: "jsonl", shiftJis: false, label: "JSON Lines", ext: "jsonl" },
  { key: "moneyforward", format: "moneyforward", shiftJis: false, label: "Money Forward ME CSV (UTF-8)", ext: "csv" },
  { key: "moneyforwardShiftJis", format: "moneyforward", shiftJis: true, label: "Money Forward ME CSV (Shift_JIS)", ext: "csv" },
  { key: "zaim", format: "zaim", shiftJis: false, label: "Zaim CSV (UTF-8)", ext: "csv" },
  { key: "zaimShiftJis", format: "zaim", shiftJis: true, label: "Zaim CSV (Shift_JIS)", ext: "csv" },
];

