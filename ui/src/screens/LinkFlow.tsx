// The link flow's progress: the browser is open on the union's login page; Kura waits for the
// consent to come back through the loopback redirect. In a household of several, it first asks
// whose login it is (saying when the union is linked already: the same person's login renews
// that link, another person's becomes their own), and says afterwards which of the two happened.

import { useEffect, useRef, useState } from "react";
import type { LinkItem } from "../bindings/commands";
import { ErrorPanel, memberStyle, toFailure } from "../components";
import { useHousehold, useLocale } from "../context";
import { formatDateTimeJst } from "../lib/format";
import { linkOutcome, linksAtUnion, nameList } from "../lib/household";
import { call, type Failure } from "../lib/transport";

type Phase =
  | { name: "choose" }
  | { name: "starting" }
  | { name: "waiting"; url: string }
  | { name: "linked"; said: string; notices: Notice[] }
  | { name: "failed"; failure: Failure };

/** What the user should know about a new link before going on. */
type Notice = { key: "link.noRefresh"; until: string } | { key: "link.consentUnknown" | "link.accountsLater" };

/** How often the UI asks whether the browser came back. */
const POLL_MS = 800;

interface Props {
  bankCode: string;
  bankName: string;
  /** Whose login it is at first (re-authenticating a link: its member's); default the household's first member. */
  memberId?: number;
  /** Linked; `said` is what happened (renewed or added, whose) when the flow did not show it already. */
  onDone: (said: string | null) => void;
  onCancel: () => void;
}

export function LinkFlow(props: Props) {
  const { t, lang } = useLocale();
  const household = useHousehold();
  // Asked once, when the flow opens: whose login it is, in a household of several.
  const [asking] = useState(household.shared);
  const [memberId, setMemberId] = useState<number | null>(
    asking ? (household.member(props.memberId ?? null)?.id ?? household.members[0]?.id ?? null) : null,
  );
  const [chosen, setChosen] = useState(!asking);
  const [linkedHere, setLinkedHere] = useState<LinkItem[] | null>(null);
  const [phase, setPhase] = useState<Phase>(asking ? { name: "choose" } : { name: "starting" });
  const [attempt, setAttempt] = useState(0);
  // A confidential client's secret, typed when the union asked for it; sent with every attempt
  // of this flow, since the core keeps it only once the union has accepted it.
  const [secret, setSecret] = useState("");
  const [secretGiven, setSecretGiven] = useState<string | undefined>(undefined);
  const done = useRef(props.onDone);
  done.current = props.onDone;

  // The union's links, to say that it is linked already (and for whom).
  useEffect(() => {
    if (!asking) return;
    call("linksList", {}).then((r) => setLinkedHere(linksAtUnion(r.links, props.bankCode)), () => setLinkedHere([]));
  }, [asking, props.bankCode]);

  useEffect(() => {
    if (!chosen) return;
    let stopped = false;
    let timer: number | undefined;
    setPhase({ name: "starting" });
    const member = memberId === null ? undefined : household.member(memberId);
    call("linkStart", { bankCode: props.bankCode, clientSecret: secretGiven, ...(member ? { memberId: member.id } : {}) })
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
              const outcome = linkOutcome(status.renewed, asking, props.bankName, member?.name ?? null);
              const said = t(outcome.key, outcome.vars);
              household.reload();
              setPhase({ name: "linked", said, notices });
              // Nothing to read: straight on (the next screen says what happened); otherwise the
              // user reads and goes on.
              if (notices.length === 0) done.current(said);
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
    // A new secret starts a new attempt through `attempt`; it is not a dependency of its own, nor
    // is the member (chosen before the flow starts).
  }, [props.bankCode, attempt, chosen]);

  const submitSecret = (e: React.FormEvent) => {
    e.preventDefault();
    if (secret.trim() === "") return;
    setSecretGiven(secret);
    setSecret("");
    setAttempt((n) => n + 1);
  };

  const elsewhere = (linkedHere ?? []).map((l) => household.member(l.memberId)?.name).filter((n): n is string => n !== undefined);
  return (
    <section className="card link-flow" aria-live="polite">
      {phase.name === "choose" && (
        <form
          className="member-choice"
          onSubmit={(e) => {
            e.preventDefault();
            setChosen(true);
          }}
        >
          <h2>{props.bankName}</h2>
          <fieldset>
            <legend>{t("link.whose")}</legend>
            <div className="member-options">
              {household.members.map((m) => (
                <label key={m.id} className="member-chip" style={memberStyle(m.colour)}>
                  <input type="radio" name="link-member" value={m.id} checked={memberId === m.id} onChange={() => setMemberId(m.id)} />
                  <span className="member-dot" aria-hidden="true" />
                  <span className="member-name">{m.name}</span>
                </label>
              ))}
            </div>
            <small>{t("link.whoseHelp")}</small>
          </fieldset>
          {elsewhere.length > 0 && (
            <p className="banner info" data-testid="already-linked">
              {t("link.alreadyLinked", { bank: props.bankName, names: nameList([...new Set(elsewhere)], lang) })}
            </p>
          )}
          <div className="row">
            <button type="submit" className="primary" disabled={memberId === null || linkedHere === null}>
              {t("link.start")}
            </button>
            <button type="button" className="secondary" onClick={props.onCancel}>
              {t("link.cancel")}
            </button>
          </div>
        </form>
      )}
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
          <p className="lead" data-testid="link-outcome">
            {phase.said}
          </p>
          {phase.notices.map((n) => (
            <p key={n.key} className="warn" data-testid="link-notice">
              {n.key === "link.noRefresh" ? t(n.key, { until: n.until }) : t(n.key)}
            </p>
          ))}
          {phase.notices.length > 0 && (
            <button type="button" className="primary" onClick={() => done.current(null)}>
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
