// First run (and "add a link"): choose one of the 95 unions, or try the demo on the sandbox.

import { useEffect, useState } from "react";
import type { InstitutionItem } from "../bindings/commands";
import { ErrorPanel, toFailure } from "../components";
import { useLocale } from "../context";
import { call } from "../lib/transport";
import { LinkFlow } from "./LinkFlow";

/** The sandbox's demo union (any of the 95 works with demo/demo; this one is the example everywhere). */
const DEMO = { code: "2011", name: "北央信用組合" };

export function FirstRun({ onLinked }: { onLinked: (said: string | null) => void }) {
  const { t } = useLocale();
  const [query, setQuery] = useState("");
  const [results, setResults] = useState<InstitutionItem[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [chosen, setChosen] = useState<{ code: string; name: string } | null>(null);

  useEffect(() => {
    let current = true;
    call("institutionsSearch", { query })
      .then((r) => current && setResults(r.institutions))
      .catch((e) => current && setError(e));
    return () => {
      current = false;
    };
  }, [query]);

  if (chosen) {
    return (
      <LinkFlow bankCode={chosen.code} bankName={chosen.name} onDone={onLinked} onCancel={() => setChosen(null)} />
    );
  }
  return (
    <div className="first-run">
      <h1>{t("firstRun.title")}</h1>
      <p className="lead">{t("firstRun.lead")}</p>
      <section className="card demo">
        <div>
          <h2>{t("firstRun.demo")}</h2>
          <p className="small">{t("firstRun.demoLead")}</p>
        </div>
        <button type="button" className="primary" onClick={() => setChosen(DEMO)}>
          {t("firstRun.demo")}
        </button>
      </section>
      <section className="card">
        <label htmlFor="union-search">{t("firstRun.search")}</label>
        <input
          id="union-search"
          type="search"
          autoComplete="off"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        {error ? <ErrorPanel failure={toFailure(error)} /> : null}
        <p className="small" aria-live="polite">
          {results.length === 0 ? t("firstRun.noResults") : t("firstRun.results", { count: results.length })}
        </p>
        <ul className="union-list">
          {results.map((i) => (
            <li key={i.code}>
              <button type="button" className="union" onClick={() => setChosen({ code: i.code, name: i.name })}>
                <span className="code">{i.code}</span>
                <span className="name">{i.name}</span>
                <span className="reading">{i.reading}</span>
                <span className="action">{t("firstRun.link")} →</span>
              </button>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
