import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { MemberItem, Preferences } from "./bindings/commands";
import { ErrorPanel, MemberSwitcher, toFailure } from "./components";
import { HouseholdContext, LocaleContext, makeLocale, type Household } from "./context";
import { effectiveScope, isShared } from "./lib/household";
import { call, inDesktopApp } from "./lib/transport";
import { Account } from "./screens/Account";
import { Books } from "./screens/Books";
import { Dashboard } from "./screens/Dashboard";
import { FirstRun } from "./screens/FirstRun";
import { History } from "./screens/History";
import { Links } from "./screens/Links";
import { Settings } from "./screens/Settings";

export type Route =
  | { name: "home" }
  | { name: "account"; id: number }
  | { name: "history" }
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
  const [members, setMembers] = useState<MemberItem[]>([]);
  const [chosenMember, setChosenMember] = useState<number | null>(null);
  // What the last action did, said on the screen it led to (a union just linked).
  const [flash, setFlash] = useState<string | null>(null);
  const main = useRef<HTMLElement>(null);
  const shown = useRef<Route | null>(null);

  // A new screen takes the keyboard focus (the button that led there is gone), so keyboard and
  // screen-reader users start at its top. Not on the first screen: nothing was chosen yet.
  const reloadMembers = useCallback(() => {
    call("membersList", {}).then((r) => setMembers(r.members), () => {});
  }, []);

  useEffect(() => {
    if (shown.current && route) {
      main.current?.focus();
      // Links and accounts may have changed hands on the screen just left.
      reloadMembers();
    }
    shown.current = route;
  }, [route, reloadMembers]);

  useEffect(() => {
    Promise.all([call("settingsGet", {}), call("linksList", {}), call("membersList", {})])
      .then(([settings, links, household]) => {
        setPrefs(settings.preferences);
        applyTheme(settings.preferences.theme);
        setMembers(household.members);
        setRoute(links.links.length === 0 ? { name: "add" } : { name: "home" });
      })
      .catch(setStartError);
  }, []);

  const household = useMemo<Household>(
    () => ({
      members,
      shared: isShared(members),
      scope: effectiveScope(members, chosenMember),
      setScope: setChosenMember,
      setMembers,
      reload: reloadMembers,
      member: (id) => members.find((m) => m.id === id),
    }),
    [members, chosenMember, reloadMembers],
  );

  const navigate = useCallback((r: Route) => {
    setFlash(null);
    setRoute(r);
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
      onClick={() => navigate(r)}
    >
      {t(key)}
    </button>
  );
  const scoped = route.name === "home" || route.name === "history" || route.name === "books";
  return (
    <LocaleContext.Provider value={locale}>
      <HouseholdContext.Provider value={household}>
        <div className="shell">
          <header className="topbar">
            <span className="brand" aria-hidden="true">
              蔵
            </span>
            <span className="brand-name">Kura</span>
            <nav aria-label={t("nav.main")}>
              {nav({ name: "home" }, "nav.dashboard")}
              {nav({ name: "history" }, "nav.history")}
              {nav({ name: "books" }, "nav.books")}
              {nav({ name: "links" }, "nav.links")}
              {nav({ name: "settings" }, "nav.settings")}
            </nav>
          </header>
          <main className="page" ref={main} tabIndex={-1}>
            {flash && (
              <div className="banner info flash" role="status" data-testid="flash">
                <span>{flash}</span>
                <button type="button" className="link-button" onClick={() => setFlash(null)}>
                  {t("export.close")}
                </button>
              </div>
            )}
            {scoped && <MemberSwitcher />}
            {route.name === "home" && <Dashboard navigate={navigate} />}
            {route.name === "account" && <Account key={route.id} accountId={route.id} navigate={navigate} />}
            {route.name === "history" && <History />}
            {route.name === "books" && <Books />}
            {route.name === "links" && <Links navigate={navigate} />}
            {route.name === "settings" && <Settings onSaved={onPrefs} />}
            {route.name === "add" && (
              <FirstRun
                onLinked={(said) => {
                  setRoute({ name: "home" });
                  setFlash(said);
                }}
              />
            )}
          </main>
        </div>
      </HouseholdContext.Provider>
    </LocaleContext.Provider>
  );
}
