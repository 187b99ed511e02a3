// Settings: polling interval, language, theme, the monthly export; where the data lives (DataFolder);
// the household's members and whose each link is (Household); sharing the household with another
// desktop (Share).

import { useEffect, useState } from "react";
import type { Preferences, SettingsResponse } from "../bindings/commands";
import { ErrorPanel, toFailure } from "../components";
import { useLocale } from "../context";
import { EXPORT_CHOICES } from "../lib/exportChoices";
import { monthlyChoiceKey, monthlySettings, monthlyStatusLine } from "../lib/monthlyExport";
import { call, inDesktopApp, pickFolder } from "../lib/transport";
import { DataFolder } from "./DataFolder";
import { Household } from "./Household";
import { Share } from "./Share";

export function Settings({ onSaved }: { onSaved: (p: Preferences) => void }) {
  const { t } = useLocale();
  const [settings, setSettings] = useState<SettingsResponse | null>(null);
  const [draft, setDraft] = useState<Preferences | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  // The monthly export's fields, kept while it is switched off so switching back restores them.
  const [monthlyOn, setMonthlyOn] = useState(false);
  const [monthlyFolder, setMonthlyFolder] = useState("");
  const [monthlyChoice, setMonthlyChoice] = useState("csv");

  useEffect(() => {
    call("settingsGet", {})
      .then((s) => {
        setSettings(s);
        setDraft(s.preferences);
        const monthly = s.preferences.monthlyExport;
        setMonthlyOn(monthly !== null);
        if (monthly) {
          setMonthlyFolder(monthly.folder);
          setMonthlyChoice(monthlyChoiceKey(monthly));
        }
      })
      .catch(setError);
  }, []);

  if (!settings || !draft) return error ? <ErrorPanel failure={toFailure(error)} /> : <p>{t("common.loading")}</p>;
  const save = async () => {
    setError(null);
    setSaved(false);
    try {
      const monthlyExport = monthlyOn ? monthlySettings(monthlyChoice, monthlyFolder) : null;
      const s = await call("settingsSet", { preferences: { ...draft, monthlyExport } });
      setSettings(s);
      setSaved(true);
      onSaved(s.preferences);
    } catch (e) {
      setError(e);
    }
  };
  const desktop = inDesktopApp();
  const chooseFolder = async () => {
    try {
      const folder = await pickFolder(t("settings.monthly.folder"));
      if (folder) setMonthlyFolder(folder);
    } catch (e) {
      setError(e);
    }
  };
  const status = settings.monthlyExportStatus ? monthlyStatusLine(settings.monthlyExportStatus, t) : null;
  return (
    <>
      <form
        className="settings card"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <h1>{t("settings.title")}</h1>
        <label>
          <span>{t("settings.language")}</span>
          <select value={draft.language} onChange={(e) => setDraft({ ...draft, language: e.target.value as Preferences["language"] })}>
            <option value="ja">日本語</option>
            <option value="en">English</option>
          </select>
        </label>
        <label>
          <span>{t("settings.theme")}</span>
          <select value={draft.theme} onChange={(e) => setDraft({ ...draft, theme: e.target.value as Preferences["theme"] })}>
            <option value="system">{t("settings.theme.system")}</option>
            <option value="light">{t("settings.theme.light")}</option>
            <option value="dark">{t("settings.theme.dark")}</option>
          </select>
        </label>
        <label>
          <span>{t("settings.poll")}</span>
          <input
            type="number"
            min={settings.minPollMinutes}
            max={settings.maxPollMinutes}
            value={draft.pollIntervalMinutes}
            onChange={(e) => setDraft({ ...draft, pollIntervalMinutes: Number(e.target.value) })}
            aria-describedby="poll-help"
          />
          <small id="poll-help">{t("settings.pollHelp", { min: settings.minPollMinutes, max: settings.maxPollMinutes })}</small>
        </label>
        <fieldset className="monthly-export">
          <legend>{t("settings.monthly.title")}</legend>
          <label className="check">
            <input type="checkbox" checked={monthlyOn} onChange={(e) => setMonthlyOn(e.target.checked)} />
            <span>{t("settings.monthly.enable")}</span>
          </label>
          <small>{t("settings.monthly.help")}</small>
          {monthlyOn && (
            <>
              <label>
                <span>{t("settings.monthly.folder")}</span>
                <input
                  type="text"
                  value={monthlyFolder}
                  placeholder={t("settings.monthly.folderPlaceholder")}
                  onChange={(e) => setMonthlyFolder(e.target.value)}
                  readOnly={desktop}
                  required
                  aria-describedby={desktop ? undefined : "monthly-folder-help"}
                />
                {!desktop && <small id="monthly-folder-help">{t("settings.monthly.folderHelpBrowser")}</small>}
              </label>
              {desktop && (
                <button type="button" onClick={() => void chooseFolder()}>
                  {t("settings.monthly.choose")}
                </button>
              )}
              <label>
                <span>{t("settings.monthly.format")}</span>
                <select value={monthlyChoice} onChange={(e) => setMonthlyChoice(e.target.value)}>
                  {EXPORT_CHOICES.map((c) => (
                    <option key={c.key} value={c.key}>
                      {c.label}
                    </option>
                  ))}
                </select>
              </label>
            </>
          )}
          {settings.preferences.monthlyExport &&
            (status ? (
              <p role={status.failed ? "alert" : "status"} className={status.failed ? "failed" : undefined}>
                {status.text}
              </p>
            ) : (
              <p>{t("settings.monthly.notChecked")}</p>
            ))}
        </fieldset>
        <DataFolder initial={settings.dataFolder} />
        {error ? <ErrorPanel failure={toFailure(error)} /> : null}
        <div className="row">
          <button type="submit" className="primary">
            {t("settings.save")}
          </button>
          {saved && <span role="status">{t("settings.saved")}</span>}
        </div>
      </form>
      <Household />
      <Share />
    </>
  );
}
