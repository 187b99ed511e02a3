// The export dialog: format and filters; saves through the OS save dialog in the desktop app, to
// the Downloads folder from a browser.

import { useEffect, useRef, useState } from "react";
import type { ExportFormat, ExportResponse, Flow } from "../bindings/commands";
import { ErrorPanel, toFailure } from "../components";
import { useLocale } from "../context";
import { call, pickSavePath } from "../lib/transport";

const FORMATS: { value: ExportFormat; label: string; ext: string }[] = [
  { value: "csv", label: "CSV (Excel, UTF-8)", ext: "csv" },
  { value: "csvShiftJis", label: "CSV (Shift_JIS)", ext: "csv" },
  { value: "xlsx", label: "Excel (.xlsx)", ext: "xlsx" },
  { value: "ofx", label: "OFX", ext: "ofx" },
  { value: "qif", label: "QIF", ext: "qif" },
  { value: "ledger", label: "Ledger", ext: "ledger" },
  { value: "hledger", label: "hledger", ext: "journal" },
  { value: "beancount", label: "Beancount", ext: "beancount" },
  { value: "jsonl", label: "JSON Lines", ext: "jsonl" },
];

export function ExportDialog({ accountIds, onClose }: { accountIds: number[]; onClose: () => void }) {
  const { t, lang } = useLocale();
  const [format, setFormat] = useState<ExportFormat>("csv");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [flow, setFlow] = useState<"" | Flow>("");
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<ExportResponse | null>(null);
  const [error, setError] = useState<unknown>(null);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  const run = async () => {
    setError(null);
    setDone(null);
    const chosen = FORMATS.find((f) => f.value === format)!;
    try {
      const destination = await pickSavePath(t("export.title"), `kura.${chosen.ext}`, [{ name: chosen.label, extensions: [chosen.ext] }]);
      if (destination === null) return; // cancelled in the OS dialog
      setBusy(true);
      const r = await call("export", {
        format,
        accounts: accountIds,
        from: from || null,
        to: to || null,
        flow: flow || null,
        english: lang === "en",
        destination: destination ?? null,
      });
      setDone(r);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} className="card dialog" onClose={onClose} aria-labelledby="export-title">
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <h2 id="export-title">{t("export.title")}</h2>
        <label>
          <span>{t("export.format")}</span>
          <select value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
            {FORMATS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        <div className="row">
          <label>
            <span>{t("account.from")}</span>
            <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label>
            <span>{t("account.to")}</span>
            <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
          <label>
            <span>{t("account.flow")}</span>
            <select value={flow} onChange={(e) => setFlow(e.target.value as "" | Flow)}>
              <option value="">{t("account.flow.all")}</option>
              <option value="in">{t("account.flow.in")}</option>
              <option value="out">{t("account.flow.out")}</option>
            </select>
          </label>
        </div>
        {!window.__TAURI_INTERNALS__ && <p className="small">{t("export.browserNote")}</p>}
        {error ? <ErrorPanel failure={toFailure(error)} /> : null}
        {done && (
          <p role="status" className="banner info">
            {t("export.done", { rows: done.rows, path: done.path })}
          </p>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t("common.loading") : t("export.save")}
          </button>
          <button type="button" className="secondary" onClick={() => dialog.current?.close()}>
            {t("export.close")}
          </button>
        </div>
      </form>
    </dialog>
  );
}
