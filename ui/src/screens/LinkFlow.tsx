// The link flow's progress: the browser is open on the union's login page; Kura waits for the
// consent to come back through the loopback redirect.

import { useEffect, useRef, useState } from "react";
import { ErrorPanel, toFailure } from "../components";
import { useLocale } from "../context";
import { formatDateTimeJst } from "../lib/format";
import { call, type Failure } from "../lib/transport";

type Phase =
  | { name: "starting" }
  | { name: "waiting"; url: string }
  | { name: "linked"; notices: Notice[] }
  | { name: "failed"; failure: Failure };

/** What the user should know about a new link before going on. */
type Notice = { key: "link.noRefresh"; until: string } | { key: "link.consentUnknown" | "link.accountsLater" };

/** How often the UI asks whether the browser came back. */
const POLL_MS = 800;

export function LinkFlow(props: { bankCode: string; bankName: string; onDone: () => void; onCancel: () => void }) {
  const { t } = useLocale();
  const [phase, setPhase] = useState<Phase>({ name: "starting" });
  const [attempt, setAttempt] = useState(0);
  // A confidential client's secret, typed when the union asked for it; sent with every attempt
  // of this flow, since the core keeps it only once the union has accepted it.
  const [secret, setSecret] = useState("");
  const [secretGiven, setSecretGiven] = useState<string | undefined>(undefined);
  const done = useRef(props.onDone);
  done.current = props.onDone;

  useEffect(() => {
    let stopped = false;
    let timer: number | undefined;
    setPhase({ name: "starting" });
    call("linkStart", { bankCode: props.bankCode, clientSecret: secretGiven })
      .then((started) => {
        if (stopped) return;
        setPhase({ name: "waiting", url: started.authorizationUrl });
        const poll = async () => {
          try {
            const status = await call("linkStatus", { attemptId: started.attemptId });
            if (stopped) return;
            if (status.state === "linked") {
              const notices: Notice[] = [];
              if (status.accessExpiresAt) notices.push({ key: "link.noRefresh", until: formatDateTimeJst(status.accessExpiresAt) });
              if (!status.consentExpiresAt) notices.push({ key: "link.consentUnknown" });
              if (status.accountsDeferred) notices.push({ key: "link.accountsLater" });
              setPhase({ name: "linked", notices });
              // Nothing to read: straight on; otherwise the user reads and goes on.
              if (notices.length === 0) done.current();
            } else if (status.state === "failed") {
              setPhase({ name: "failed", failure: status.error });
            } else {
              timer = window.setTimeout(poll, POLL_MS);
            }
          } catch (e) {
            if (!stopped) setPhase({ name: "failed", failure: toFailure(e) });
          }
        };
        timer = window.setTimeout(poll, POLL_MS);
      })
      .catch((e) => !stopped && setPhase({ name: "failed", failure: toFailure(e) }));
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
    // A new secret starts a new attempt through `attempt`; it is not a dependency of its own.
  }, [props.bankCode, attempt]);

  const submitSecret = (e: React.FormEvent) => {
    e.preventDefault();
    if (secret.trim() === "") return;
    setSecretGiven(secret);
    setSecret("");
    setAttempt((n) => n + 1);
  };

  return (
    <section className="card link-flow" aria-live="polite">
      {(phase.name === "starting" || phase.name === "waiting") && (
        <>
          <div className="spinner" aria-hidden="true" />
          <p className="lead">{t("link.waiting", { bank: props.bankName })}</p>
          {phase.name === "waiting" && (
            <p className="small">
              {t("link.openManually")}:{" "}
              <a href={phase.url} target="_blank" rel="noopener noreferrer" data-testid="authorization-url">
                {new URL(phase.url).host}
              </a>
            </p>
          )}
          <button type="button" className="secondary" onClick={props.onCancel}>
            {t("link.cancel")}
          </button>
        </>
      )}
      {phase.name === "linked" && (
        <>
          <p className="lead">{t("link.done", { bank: props.bankName })}</p>
          {phase.notices.map((n) => (
            <p key={n.key} className="warn" data-testid="link-notice">
              {n.key === "link.noRefresh" ? t(n.key, { until: n.until }) : t(n.key)}
            </p>
          ))}
          {phase.notices.length > 0 && (
            <button type="button" className="primary" onClick={() => done.current()}>
              {t("link.ok")}
            </button>
          )}
        </>
      )}
      {phase.name === "failed" && (
        <>
          <ErrorPanel failure={phase.failure} title={t("link.failed")} />
          {phase.failure.kind === "clientSecret" && (
            <form className="row secret-form" onSubmit={submitSecret}>
              <label className="grow">
                <span>{t("link.secret")}</span>
                <input
                  type="password"
                  autoComplete="off"
                  spellCheck={false}
                  value={secret}
                  onChange={(e) => setSecret(e.target.value)}
                  data-testid="client-secret"
                />
              </label>
              <button type="submit" className="primary" disabled={secret.trim() === ""}>
                {t("link.secretSubmit")}
              </button>
            </form>
          )}
          <div className="row">
            {/* Without a (new) secret, trying again would only fail the same way. */}
            {phase.failure.kind !== "clientSecret" && (
              <button type="button" onClick={() => setAttempt((n) => n + 1)}>
                {t("link.retry")}
              </button>
            )}
            <button type="button" className="secondary" onClick={props.onCancel}>
              {t("link.cancel")}
            </button>
          </div>
        </>
      )}
    </section>
  );
}
