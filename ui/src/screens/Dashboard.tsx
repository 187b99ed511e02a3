// Home: the total, a card per account with its balance, as-of and freshness; the offline banner.
// With two or more members: the whole household's total and each member's share, or one
// member's total and accounts (the switcher above chooses), and whose each account is.

import { useEffect, useState } from "react";
import type { AccountCard, LinkItem, MemberShare, OverviewResponse } from "../bindings/commands";
import type { Route } from "../App";
import { ErrorPanel, GapDeadline, MemberTag, SyncProblemNote, memberStyle, toFailure } from "../components";
import { isUnreachable } from "../lib/errors";
import { useHousehold, useLocale } from "../context";
import { formatCalendarDate, formatDateTimeJst, formatYen } from "../lib/format";
import { shareSlices } from "../lib/household";
import { usePaintMark } from "../lib/perf";
import { call } from "../lib/transport";

/** The scheduler syncs in the background; the overview is a cheap local query, so re-read it. */
const REFRESH_MS = 3000;

export function Dashboard({ navigate }: { navigate: (r: Route) => void }) {
  const { t } = useLocale();
  const { scope, shared } = useHousehold();
  const [data, setData] = useState<OverviewResponse | null>(null);
  // Whose overview `data` is: the whole household's (null) or a member's.
  const [dataScope, setDataScope] = useState<number | null>(null);
  const [links, setLinks] = useState<LinkItem[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [syncError, setSyncError] = useState<unknown>(null);
  const [queued, setQueued] = useState(false);

  useEffect(() => {
    let timer: number | undefined;
    let stopped = false;
    const load = () =>
      call("overview", scope === null ? {} : { memberId: scope })
        .then((o) => {
          if (stopped) return;
          setData(o);
          setDataScope(scope);
          setError(null);
          // After the total is shown: why a union's last sync failed, if it did.
          return call("linksList", {}).then((r) => !stopped && setLinks(r.links));
        })
        .catch((e) => !stopped && setError(e))
        .finally(() => {
          if (!stopped) timer = window.setTimeout(load, REFRESH_MS);
        });
    void load();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [scope]);

  usePaintMark("kura:dashboard-total", data !== null); // for ui/e2e/bench.mjs

  const syncNow = () => {
    setSyncError(null);
    call("syncNow", { linkId: null })
      .then(() => {
        setQueued(true);
        window.setTimeout(() => setQueued(false), REFRESH_MS * 2);
      })
      .catch(setSyncError);
  };

  if (error && !data) return <ErrorPanel failure={toFailure(error)} />;
  if (!data) return <p className="loading">{t("common.loading")}</p>;

  // Group the cards by union.
  const unions = new Map<string, AccountCard[]>();
  for (const a of data.accounts) unions.set(a.bankName, [...(unions.get(a.bankName) ?? []), a]);
  // Until the overview of a newly chosen member arrives, the one shown is the previous choice's.
  const slices = shareSlices(data.members);
  const scoped = shared ? slices.find((s) => s.id === dataScope) : undefined;
  const memberOf = (id: number | null) => data.members.find((m) => m.id === id);

  return (
    <div className="dashboard" aria-busy={dataScope !== scope}>
      {data.offline && (
        <div className="banner offline" role="status" data-testid="offline-banner">
          {t("dashboard.offline")}
        </div>
      )}
      {syncError ? <ErrorPanel failure={toFailure(syncError)} /> : null}
      <section className="total card">
        <div>
          <h1>{scoped ? t("dashboard.memberTotal", { name: scoped.name }) : t("dashboard.total")}</h1>
          <p className="amount big" data-testid="total">
            {formatYen(data.total)}
          </p>
          {scoped && (
            <p className="small" data-testid="household-share">
              {scoped.percent === null
                ? t("dashboard.householdTotal", { total: formatYen(data.householdTotal) })
                : t("dashboard.householdShare", { total: formatYen(data.householdTotal), percent: scoped.percent })}
            </p>
          )}
          {data.totalAsOf && <p className="small">{t("dashboard.totalAsOf", { date: formatDateTimeJst(data.totalAsOf) })}</p>}
        </div>
        <div className="row">
          {queued && <span className="small" role="status">{t("dashboard.syncQueued")}</span>}
          <button type="button" className="primary" onClick={syncNow}>
            {t("dashboard.syncNow")}
          </button>
        </div>
        {shared && <Shares shares={data.members} chosen={scoped?.id ?? null} />}
      </section>
      {data.accounts.length === 0 && (
        <p>{scoped ? t("dashboard.memberNoAccounts", { name: scoped.name }) : t("dashboard.noAccounts")}</p>
      )}
      {[...unions].map(([bank, accounts]) => (
        <section key={bank} className="union-group">
          <h2>{bank}</h2>
          {links.map((l) =>
            l.lastError &&
            accounts.some((a) => a.linkId === l.id) &&
            // The offline banner already says the unions cannot be reached.
            !(data.offline && isUnreachable(l.lastError.kind)) ? (
              <div key={l.id} className="union-problem">
                <SyncProblemNote problem={l.lastError} />
                <button type="button" className="secondary" onClick={() => navigate({ name: "links" })}>
                  {t("dashboard.openLinks")}
                </button>
              </div>
            ) : null,
          )}
          <div className="cards">
            {accounts.map((a) => (
              <AccountTile
                key={a.id}
                account={a}
                member={shared ? memberOf(a.memberId) : undefined}
                onOpen={() => navigate({ name: "account", id: a.id })}
              />
            ))}
          </div>
        </section>
      ))}
    </div>
  );
}

/** Each member's total and share of the household's: a bar in their colours and its legend. */
function Shares({ shares, chosen }: { shares: MemberShare[]; chosen: number | null }) {
  const { t } = useLocale();
  const slices = shareSlices(shares);
  const said = slices.map((s) => t("dashboard.shareItem", { name: s.name, total: formatYen(s.total), percent: s.percent ?? "—" }));
  return (
    <div className="shares" data-testid="shares">
      <div className="share-bar" role="img" aria-label={`${t("dashboard.shares")}: ${said.join(", ")}`}>
        {slices.map((s) =>
          s.width > 0 ? (
            <span
              key={s.id}
              className={chosen !== null && chosen !== s.id ? "slice dim" : "slice"}
              style={{ ...memberStyle(s.colour), width: `${s.width}%` }}
            />
          ) : null,
        )}
      </div>
      <ul className="share-legend" aria-label={t("dashboard.shares")}>
        {slices.map((s) => (
          <li
            key={s.id}
            className={chosen !== null && chosen !== s.id ? "dim" : undefined}
            style={memberStyle(s.colour)}
            data-testid="member-share"
            data-member-id={s.id}
          >
            <span className="member-dot" aria-hidden="true" />
            <span className="share-name">{s.name}</span>
            <span className="num" data-testid="member-total">
              {formatYen(s.total)}
            </span>
            <span className="share-pct" data-testid="member-percent">
              {s.percent === null ? "—" : `${s.percent}%`}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function AccountTile({ account: a, member, onOpen }: { account: AccountCard; member?: MemberShare; onOpen: () => void }) {
  const { t } = useLocale();
  return (
    <button type="button" className="card account-tile" onClick={onOpen} data-testid="account-card">
      <div className="tile-head">
        <span>
          {a.branchName} · {a.accountTypeName} {a.accountNumber}
        </span>
        <span className={`badge ${a.freshness}`}>{t(`freshness.${a.freshness}`)}</span>
      </div>
      <div className="amount">{a.balance === null ? t("dashboard.noBalance") : formatYen(a.balance)}</div>
      <div className="small">
        {a.asOf ? t("dashboard.asOf", { date: formatDateTimeJst(a.asOf) }) : "\u00a0"}
      </div>
      {a.linkStatus === "reauthRequired" && <div className="warn">{t("dashboard.reauth")}</div>}
      {a.linkStatus === null && <div className="small">{t("dashboard.unlinked")}</div>}
      <GapDeadline account={a} />
      {a.reconcileMismatch !== null && <div className="warn">{t("dashboard.mismatch")}</div>}
      {a.gaps.length > 0 && (
        <div className="warn">
          {t("dashboard.gaps", {
            ranges: a.gaps.map((g) => `${formatCalendarDate(g.dateFrom)}–${formatCalendarDate(g.dateTo)}`).join(", "),
          })}
        </div>
      )}
      {member && (
        <div className="tile-foot" title={t("household.accountOf", { name: member.name })}>
          <MemberTag member={member} />
        </div>
      )}
    </button>
  );
}
