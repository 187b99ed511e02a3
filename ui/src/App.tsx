import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Preferences } from "./bindings/commands";
import { ErrorPanel, toFailure } from "./components";
import { LocaleContext, makeLocale } from "./context";
import { call, inDesktopApp } from "./lib/transport";
import { Account } from "./screens/Account";
import { Books } from "./screens/Books";
import { Dashboard } from "./screens/Dashboard";
import { FirstRun } from "./screens/FirstRun";
import { Links } from "./screens/Links";
import { Settings } from "./screens/Settings";

export type Route =
  | { name: "home" }
  | { name: "account"; id: number }
  | { name: "books" }
  | { name: "links" }
  | { name: "settings" }
  | { name: "add" };

function applyTheme(theme: Preferences["theme"]) {
  // "system" leaves it to the CSS media query; light/dark force it.
  if (theme === "system") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

export function App() {
  const [prefs, setPrefs] = useState<Preferences | null>(null);
  const [route, setRoute] = useState<Route | null>(null);
  const [startError, setStartError] = useState<unknown>(null);
  const main = useRef<HTMLElement>(null);
  const shown = useRef<Route | null>(null);

  // A new screen takes the keyboard focus (the button that led there is gone), so keyboard and
  // screen-reader users start at its top. Not on the first screen: nothing was chosen yet.
  useEffect(() => {
    if (shown.current && route) main.current?.focus();
    shown.current = route;
  }, [route]);

  useEffect(() => {
    Promise.all([call("settingsGet", {}), call("linksList", {})])
      .then(([settings, links]) => {
        setPrefs(settings.preferences);
        applyTheme(settings.preferences.theme);
        setRoute(links.links.length === 0 ? { name: "add" } : { name: "home" });
      })
      .catch(setStartError);
  }, []);

  const lang = prefs?.language ?? (navigator.language.startsWith("ja") ? "ja" : "en");
  const locale = useMemo(() => makeLocale(lang), [lang]);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const onPrefs = useCallback((p: Preferences) => {
    setPrefs(p);
    applyTheme(p.theme);
  }, []);

  const { t } = locale;
  if (startError) {
    const failure = toFailure(startError);
    return (
      <LocaleContext.Provider value={locale}>
        <main className="page">
          <ErrorPanel failure={failure} />
          {!inDesktopApp() && <p>{t("auth.missing")}</p>}
        </main>
      </LocaleContext.Provider>
    );
  }
  if (!route || !prefs) {
    return <p className="loading">{t("common.loading")}</p>;
  }
  const nav = (r: Route, key: Parameters<typeof t>[0]) => (
    <button
      type="button"
      className={route.name === r.name ? "nav-item active" : "nav-item"}
      aria-current={route.name === r.name ? "page" : undefined}
      onClick={() => setRoute(r)}
    >
      {t(key)}
    </button>
  );
  return (
    <LocaleContext.Provider value={locale}>
      <div className="shell">
        <header className="topbar">
          <span className="brand" aria-hidden="true">
            蔵
          </span>
          <span className="brand-name">Kura</span>
          <nav aria-label={t("nav.main")}>
            {nav({ name: "home" }, "nav.dashboard")}
            {nav({ name: "books" }, "nav.books")}
            {nav({ name: "links" }, "nav.links")}
            {nav({ name: "settings" }, "nav.settings")}
          </nav>
        </header>
        <main className="page" ref={main} tabIndex={-1}>
          {route.name === "home" && <Dashboard navigate={setRoute} />}
          {route.name === "account" && <Account key={route.id} accountId={route.id} navigate={setRoute} />}
          {route.name === "books" && <Books />}
          {route.name === "links" && <Links navigate={setRoute} />}
          {route.name === "settings" && <Settings onSaved={onPrefs} />}
          {route.name === "add" && <FirstRun onLinked={() => setRoute({ name: "home" })} />}
        </main>
      </div>
    </LocaleContext.Provider>
  );
}
