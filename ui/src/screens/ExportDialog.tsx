// The export dialog: format and filters; saves through the OS save dialog in the desktop app. In a
// browser (`kura serve`) Kura writes the file and the browser downloads it through a one-time link.
// Opened for the household's history, it exports the whole household or one member's accounts
// (the member the switcher chose, unless changed here).

import { useEffect, useRef, useState } from "react";
import type { ExportRequest, Flow } from "../bindings/commands";
import { ErrorPanel, toFailure } from "../components";
import { useHousehold, useLocale } from "../context";
import { EXPORT_CHOICES as CHOICES } from "../lib/exportChoices";
import { CommandError, TOKEN_HEADER, call, inDesktopApp, isFailure, pickSavePath, tokenFromHash } from "../lib/transport";

/** What `kura serve` answers to `POST /api/export/download`. */
interface BrowserDownload {
  url: string;
  fileName: string;
  rows: number;
  accounts: number;
}

/**
 * `kura serve`: Kura writes the export, then the browser downloads it from a one-time URL (a link
 * cannot send the session token header, so the token stays out of URLs).
 */
async function downloadInBrowser(request: ExportRequest): Promise<BrowserDownload> {
  let response: Response;
  try {
    response = await fetch("/api/export/download", {
      method: "POST",
      headers: { "Content-Type": "application/json", [TOKEN_HEADER]: tokenFromHash(window.location.hash) ?? "" },
      body: JSON.stringify(request),
    });
  } catch (e) {
    throw new CommandError({
      kind: "network",
      message: `Kura (kura serve) is not reachable: ${String(e)}`,
      hint: "Start `kura serve` again and reload this page.",
    });
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    throw isFailure(body)
      ? new CommandError(body)
      : new CommandError({ kind: "remote", message: `HTTP ${response.status} from kura serve`, hint: null });
  }
  const done = body as BrowserDownload;
  const link = document.createElement("a");
  link.href = done.url;
  link.download = done.fileName;
  document.body.append(link);
  link.click();
  link.remove();
  return done;
}

export function ExportDialog({ accountIds, scoped = false, onClose }: { accountIds: number[]; scoped?: boolean; onClose: () => void }) {
  const { t, lang } = useLocale();
  const household = useHousehold();
  // Whose accounts: the whole household (null) or a member's; only asked for the household's history.
  const [memberId, setMemberId] = useState<number | null>(scoped ? household.scope : null);
  const owner = household.member(memberId);
  const [choiceKey, setChoiceKey] = useState("csv");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [flow, setFlow] = useState<"" | Flow>("");
  const [replaceUnmappable, setReplaceUnmappable] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ rows: number; path: string; download: boolean } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  const chosen = CHOICES.find((c) => c.key === choiceKey)!;

  const run = async () => {
    setError(null);
    setDone(null);
    const request: ExportRequest = {
      format: chosen.format,
      shiftJis: chosen.shiftJis,
      replaceUnmappable: chosen.shiftJis && replaceUnmappable,
      accounts: accountIds,
      ...(memberId === null ? {} : { memberId }),
      from: from || null,
      to: to || null,
      flow: flow || null,
      english: lang === "en",
      destination: null,
    };
    try {
      if (!inDesktopApp()) {
        setBusy(true);
        const r = await downloadInBrowser(request);
        setDone({ rows: r.rows, path: r.fileName, download: true });
        return;
      }
      const destination = await pickSavePath(t("export.title"), `kura.${chosen.ext}`, [{ name: chosen.label, extensions: [chosen.ext] }]);
      if (!destination) return; // cancelled in the OS dialog
      setBusy(true);
      const saved = await call("export", { ...request, destination });
      setDone({ rows: saved.rows, path: saved.path, download: false });
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
          <select value={choiceKey} onChange={(e) => setChoiceKey(e.target.value)}>
            {CHOICES.map((c) => (
              <option key={c.key} value={c.key}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        {scoped && household.shared && (
          <label>
            <span>{t("export.scope")}</span>
            <select
              value={memberId ?? ""}
              onChange={(e) => setMemberId(e.target.value === "" ? null : Number(e.target.value))}
              data-testid="export-scope"
            >
              <option value="">{t("export.scope.all")}</option>
              {household.members.map((m) => (
                <option key={m.id} value={m.id}>
                  {t("export.scope.member", { name: m.name })}
                </option>
              ))}
            </select>
          </label>
        )}
        {owner && owner.accountCount === 0 && <p className="warn">{t("export.scope.none", { name: owner.name })}</p>}
        {chosen.shiftJis && (
          <>
            <label className="check">
              <input
                type="checkbox"
                checked={replaceUnmappable}
                onChange={(e) => setReplaceUnmappable(e.target.checked)}
                aria-describedby="export-replace-note"
              />{" "}
              {t("export.replaceUnmappable")}
            </label>
            <p id="export-replace-note" className="small">
              {t("export.replaceUnmappable.note")}
            </p>
          </>
        )}
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
        {!inDesktopApp() && <p className="small">{t("export.browserNote")}</p>}
        {error ? <ErrorPanel failure={toFailure(error)} /> : null}
        {done && (
          <p role="status" className="banner info">
            {done.download
              ? t("export.downloaded", { rows: done.rows, file: done.path })
              : t("export.done", { rows: done.rows, path: done.path })}
          </p>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={busy || owner?.accountCount === 0}>
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
