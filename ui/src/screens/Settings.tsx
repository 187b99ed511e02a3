// Settings: polling interval, language, theme; where the data lives.

import { useEffect, useState } from "react";
import type { Preferences, SettingsResponse } from "../bindings/commands";
import { ErrorPanel, toFailure } from "../components";
import { useLocale } from "../context";
import { call } from "../lib/transport";

export function Settings({ onSaved }: { onSaved: (p: Preferences) => void }) {
  const { t } = useLocale();
  const [settings, setSettings] = useState<SettingsResponse | null>(null);
  const [draft, setDraft] = useState<Preferences | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    call("settingsGet", {})
      .then((s) => {
        setSettings(s);
        setDraft(s.preferences);
      })
      .catch(setError);
  }, []);

  if (!settings || !draft) return error ? <ErrorPanel failure={toFailure(error)} /> : <p>{t("common.loading")}</p>;
  const save = async () => {
    setError(null);
    setSaved(false);
    try {
      const s = await call("settingsSet", { preferences: draft });
      setSettings(s);
      setSaved(true);
      onSaved(s.preferences);
    } catch (e) {
      setError(e);
    }
  };
  return (
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
      <div className="field">
        <span>{t("settings.dataDir")}</span>
        <code>{settings.dataDir}</code>
        <small>{t("settings.dataDirHelp")}</small>
      </div>
      {error ? <ErrorPanel failure={toFailure(error)} /> : null}
      <div className="row">
        <button type="submit" className="primary">
          {t("settings.save")}
        </button>
        {saved && <span role="status">{t("settings.saved")}</span>}
      </div>
    </form>
  );
}
