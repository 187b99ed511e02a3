// Links: each union's consent (status, expiry countdown), re-authenticate, unlink, and the sync log;
// in a household of several, whose consent each link is (given to another member in Settings).

import { useCallback, useEffect, useState } from "react";
import type { LinkItem, SyncRunItem } from "../bindings/commands";
import type { Route } from "../App";
import { ErrorPanel, MemberTag, SyncProblemNote, toFailure } from "../components";
import { useHousehold, useLocale } from "../context";
import { consentCountdown } from "../lib/consent";
import { formatDateJst, formatDateTimeJst } from "../lib/format";
import { call } from "../lib/transport";
import { LinkFlow } from "./LinkFlow";

export function Links({ navigate }: { navigate: (r: Route) => void }) {
  const { t } = useLocale();
  const [links, setLinks] = useState<LinkItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reauth, setReauth] = useState<LinkItem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(() => {
    call("linksList", {}).then((r) => setLinks(r.links)).catch(setError);
  }, []);
  useEffect(load, [load]);

  if (reauth) {
    return (
      <LinkFlow
        bankCode={reauth.bankCode}
        bankName={reauth.bankName}
        memberId={reauth.memberId}
        onDone={(said) => {
          setReauth(null);
          setNotice(said);
          load();
        }}
        onCancel={() => setReauth(null)}
      />
    );
  }
  if (error) return <ErrorPanel failure={toFailure(error)} />;
  if (!links) return <p className="loading">{t("common.loading")}</p>;
  return (
    <div className="links">
      <div className="row spread">
        <h1>{t("links.title")}</h1>
        <button type="button" className="primary" onClick={() => navigate({ name: "add" })}>
          {t("links.add")}
        </button>
      </div>
      {notice && (
        <p className="banner info" role="status">
          {notice}
        </p>
      )}
      {links.length === 0 && <p>{t("links.empty")}</p>}
      {links.map((l) => (
        <LinkCard
          key={l.id}
          link={l}
          onReauth={() => setReauth(l)}
          onUnlinked={(message) => {
            setNotice(message);
            load();
          }}
        />
      ))}
    </div>
  );
}

function LinkCard({ link: l, onReauth, onUnlinked }: { link: LinkItem; onReauth: () => void; onUnlinked: (m: string) => void }) {
  const { t } = useLocale();
  const { shared, member } = useHousehold();
  const owner = shared ? member(l.memberId) : undefined;
  const [confirming, setConfirming] = useState(false);
  const [purge, setPurge] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [runs, setRuns] = useState<SyncRunItem[] | null>(null);
  const [body, setBody] = useState<{ id: number; text: string } | null>(null);
  // A revoked link has no consent left to count down.
  const consent = l.consentExpiresAt && l.status !== "revoked" ? consentCountdown(l.consentExpiresAt, new Date()) : null;

  const unlink = async () => {
    try {
      const r = await call("unlink", { linkId: l.id, purge });
      const said = r.revokedAtUnion || !r.revokeError ? t("links.unlinked") : t("links.unlinkedNotRevoked");
      onUnlinked(r.clientSecretDeleted ? `${said} ${t("links.secretDeleted")}` : said);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section className="card link-card" data-testid="link-card">
      <div className="row spread">
        <h2>{l.bankName}</h2>
        <span className={`badge ${l.status}`}>{t(`links.status.${l.status}`)}</span>
      </div>
      <dl className="facts">
        {owner && (
          <>
            <dt>{t("household.member")}</dt>
            <dd>
              <MemberTag member={owner} />
            </dd>
          </>
        )}
        <dt>{t("links.consent")}</dt>
        <dd>
          {l.consentExpiresAt ? (
            <>
              {formatDateJst(l.consentExpiresAt)}{" "}
              {consent && (
                <span className={consent.level === "ok" ? "small" : "countdown warn"} data-testid="consent-countdown">
                  (
                  {consent.level === "expired"
                    ? t("links.consentExpired")
                    : consent.level === "today"
                      ? t("links.consentToday")
                      : t("links.consentIn", { days: consent.days })}
                  )
                </span>
              )}
            </>
          ) : l.status === "revoked" ? (
            "—"
          ) : (
            <span className="small" data-testid="consent-unknown">
              {t("links.consentUnknown")}
            </span>
          )}
        </dd>
        <dt>{t("links.lastSync")}</dt>
        <dd>{l.lastSyncAt ? formatDateTimeJst(l.lastSyncAt) : t("links.never")}</dd>
        <dt>{t("links.accountsLabel")}</dt>
        <dd>{t("links.accounts", { count: l.accountCount })}</dd>
        {l.fetchedBy !== null && (
          <>
            <dt>{t("links.fetchedByLabel")}</dt>
            <dd data-testid="fetched-by">{l.fetchedBy}</dd>
          </>
        )}
      </dl>
      {l.fetchedBy !== null && (
        <p className="banner info fetched-elsewhere" data-testid="fetched-elsewhere">
          {t("links.fetchedElsewhere", { desktop: l.fetchedBy })}
        </p>
      )}
      {consent && consent.level !== "ok" && l.status === "active" && (
        <p className="warn">
          {consent.level === "expired"
            ? t("links.consentLapsed")
            : consent.level === "today"
              ? t("links.consentEndsToday")
              : t("links.consentSoon", { days: consent.days })}
        </p>
      )}
      {l.lastError && <SyncProblemNote problem={l.lastError} />}
      {error ? <ErrorPanel failure={toFailure(error)} /> : null}
      <div className="row actions">
        {/* Renewing and unlinking happen on the desktop that holds the link's tokens. */}
        {l.fetchedBy === null && (
          <>
            <button type="button" className={l.status === "active" ? "secondary" : "primary"} onClick={onReauth}>
              {t("links.reauth")}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(true)}>
              {t("links.unlink")}
            </button>
          </>
        )}
        <button
          type="button"
          className="link-button"
          aria-expanded={runs !== null}
          onClick={() =>
            runs ? setRuns(null) : call("syncLog", { linkId: l.id, before: null, limit: 20 }).then((r) => setRuns(r.runs)).catch(setError)
          }
        >
          {t("links.syncLog")}
        </button>
      </div>
      {confirming && (
        <div className="confirm" role="alertdialog" aria-label={t("links.unlink")}>
          <p>{t("links.unlinkConfirm", { bank: l.bankName })}</p>
          <label className="check">
            <input type="checkbox" checked={purge} onChange={(e) => setPurge(e.target.checked)} /> {t("links.purge")}
          </label>
          <div className="row">
            <button type="button" className="danger" onClick={unlink}>
              {t("links.unlink")}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              {t("link.cancel")}
            </button>
          </div>
        </div>
      )}
      {runs && (
        <ul className="runs">
          {runs.length === 0 && <li>{t("links.noRuns")}</li>}
          {runs.map((r) => (
            <li key={r.id} className={`run ${r.state}`}>
              <span>{formatDateTimeJst(r.startedAt)}</span>
              <span className={`badge ${r.state === "ok" ? "fresh" : r.state === "running" ? "stale" : "atRisk"}`}>
                {t(`links.run.${r.state}`)}
              </span>
              <span>{t("links.run.new", { count: r.newTransactions })}</span>
              {r.error && <SyncProblemNote problem={r.error} />}
              {r.responseBodyLen !== null && (
                <button
                  type="button"
                  className="link-button"
                  onClick={() => call("syncRunBody", { runId: r.id }).then((b) => setBody({ id: r.id, text: b.body ?? "" }))}
                >
                  {t("links.run.body")}
                </button>
              )}
              {body?.id === r.id && <pre className="body">{body.text}</pre>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
