// Settings → the data folder: where it is, and moving it (done when Kura starts next, so nothing
// has the database open while it moves).

import { useState } from "react";
import type { DataFolderStatus } from "../bindings/commands";
import { ErrorPanel, toFailure } from "../components";
import { useLocale } from "../context";
import { call, inDesktopApp, pickFolder } from "../lib/transport";

export function DataFolder({ initial }: { initial: DataFolderStatus }) {
  const { t } = useLocale();
  const [status, setStatus] = useState(initial);
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<unknown>(null);
  const desktop = inDesktopApp();

  const request = async (folder: string | null) => {
    setError(null);
    try {
      setStatus(await call("dataFolderMove", { folder }));
      setTyped("");
    } catch (e) {
      setError(e);
    }
  };
  const choose = async () => {
    try {
      const folder = await pickFolder(t("dataFolder.move"));
      if (folder) await request(folder);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <fieldset className="data-folder">
      <legend>{t("settings.dataDir")}</legend>
      <code data-testid="data-folder">{status.path}</code>
      {status.lastMove?.state === "moved" && <p role="status">{t("dataFolder.moved", { from: status.lastMove.from })}</p>}
      {status.lastMove?.state === "failed" && <ErrorPanel failure={status.lastMove.error} title={t("dataFolder.failed")} />}
      {!status.movable ? (
        <small>{t("settings.dataDirHelp")}</small>
      ) : status.pendingMove ? (
        <>
          <p role="status" data-testid="data-folder-pending">
            {t("dataFolder.pending", { to: status.pendingMove })}
          </p>
          <div className="row">
            <button type="button" className="secondary" onClick={() => void request(null)}>
              {t("dataFolder.cancel")}
            </button>
          </div>
        </>
      ) : (
        <>
          <small>{t("dataFolder.help")}</small>
          {desktop ? (
            <button type="button" onClick={() => void choose()}>
              {t("dataFolder.move")}
            </button>
          ) : (
            <div className="row end">
              <label className="grow">
                <span>{t("dataFolder.target")}</span>
                <input type="text" value={typed} onChange={(e) => setTyped(e.target.value)} spellCheck={false} />
              </label>
              <button type="button" disabled={typed.trim() === ""} onClick={() => void request(typed)}>
                {t("dataFolder.moveSubmit")}
              </button>
            </div>
          )}
        </>
      )}
      {error ? <ErrorPanel failure={toFailure(error)} /> : null}
    </fieldset>
  );
}
