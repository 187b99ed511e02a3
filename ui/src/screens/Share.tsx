// Settings → デスクトップ間の共有: sharing the household with another desktop through a folder a
// sync program keeps in step. Not shared: what it does, starting a share (the pairing code shown
// big, to copy) or joining one with its code. Shared: the folder, this desktop's name, the other
// desktops (when last heard from, which unions each fetches), syncing now, the pairing code on
// request, the files left alone and why, and leaving (the data stays).

import { useCallback, useEffect, useId, useState } from "react";
import type { LinkItem, PeerItem, ShareProblem, ShareStatus, ShareSyncReport } from "../bindings/commands";
import { ErrorPanel, toFailure } from "../components";
import { useHousehold, useLocale } from "../context";
import { formatDateTimeJst } from "../lib/format";
import { ago, codeGroups, normalizeCode, peerLinkNames, problemKey, shareFailure, syncSummary } from "../lib/share";
import { call, inDesktopApp, pickFolder } from "../lib/transport";

type Doing = "create" | "join" | "other";
type Mode = "create" | "join" | null;

/** How often the section reads the status again while it is open (the core shares every 30 s). */
const REFRESH_MS = 30_000;

export function Share() {
  const { t } = useLocale();
  const household = useHousehold();
  const [status, setStatus] = useState<ShareStatus | null>(null);
  const [links, setLinks] = useState<LinkItem[]>([]);
  const [error, setError] = useState<{ error: unknown; doing: Doing } | null>(null);
  const [notice, setNotice] = useState<string[]>([]);
  // The pairing code while it is shown (just created, or asked for).
  const [code, setCode] = useState<string | null>(null);
  const [created, setCreated] = useState(false);
  const [busy, setBusy] = useState(false);
  const [confirmLeave, setConfirmLeave] = useState(false);
  const [now, setNow] = useState(() => new Date());

  const refresh = useCallback(async () => {
    const [s, l] = await Promise.all([call("shareStatus", {}), call("linksList", {})]);
    setStatus(s);
    setLinks(l.links);
    setNow(new Date());
  }, []);

  useEffect(() => {
    refresh().catch((e: unknown) => setError({ error: e, doing: "other" }));
  }, [refresh]);

  const shared = status?.folder != null;
  useEffect(() => {
    if (!shared) return;
    const timer = setInterval(() => void refresh().catch(() => {}), REFRESH_MS);
    return () => clearInterval(timer);
  }, [shared, refresh]);

  /** Runs a share command; a failure is shown as what `doing` was refused. */
  const run = async (doing: Doing, command: () => Promise<void>) => {
    setError(null);
    setNotice([]);
    setBusy(true);
    try {
      await command();
      return true;
    } catch (e) {
      setError({ error: e, doing });
      return false;
    } finally {
      setBusy(false);
    }
  };

  const said = (report: ShareSyncReport, joined: boolean) => {
    const summary = syncSummary(report, joined);
    const lines = [t(summary.key, summary.vars)];
    if (report.skipped > 0) lines.push(t("share.skipped", { count: report.skipped }));
    return lines;
  };

  const onCreate = (folder: string, desktopName: string) =>
    run("create", async () => {
      const r = await call("shareCreate", { folder, ...(desktopName.trim() ? { desktopName: desktopName.trim() } : {}) });
      setCode(r.code);
      setCreated(true);
      await refresh();
    });

  const onJoin = (folder: string, typed: string, desktopName: string) =>
    run("join", async () => {
      const report = await call("shareJoin", { folder, code: typed, ...(desktopName.trim() ? { desktopName: desktopName.trim() } : {}) });
      await refresh();
      // The household's members came with the others' log.
      household.reload();
      setNotice(said(report, true));
    });

  const syncNow = () =>
    run("other", async () => {
      const report = await call("shareSync", {});
      await refresh();
      household.reload();
      setNotice(said(report, false));
    });

  const toggleCode = () => {
    if (code !== null) {
      setCode(null);
      setCreated(false);
      return;
    }
    void run("other", async () => setCode((await call("shareCode", {})).code));
  };

  const leave = () =>
    run("other", async () => {
      setStatus(await call("shareLeave", {}));
      setCode(null);
      setCreated(false);
      setConfirmLeave(false);
      setNotice([t("share.left")]);
    });

  const failure = error ? toFailure(error.error) : null;
  const doing = error?.doing;
  // What the last action did or why it was refused, next to where it was asked for.
  const feedback = (
    <>
      {notice.length > 0 && (
        <div className="banner info" role="status" data-testid="share-notice">
          {notice.map((n) => (
            <p key={n}>{n}</p>
          ))}
        </div>
      )}
      {failure && doing && (
        <ErrorPanel failure={failure} adjust={doing === "other" ? undefined : (general) => shareFailure(failure, doing, general)} />
      )}
    </>
  );
  return (
    <section className="card settings desktop-share" aria-labelledby="share-title" data-testid="share">
      <h2 id="share-title">{t("share.title")}</h2>
      {!status ? (
        failure ? null : <p>{t("common.loading")}</p>
      ) : !shared ? (
        <>
          <p className="small lead-text">{t("share.lead")}</p>
          <Setup busy={busy} onCreate={onCreate} onJoin={onJoin} onModeChange={() => setError(null)} />
          {feedback}
        </>
      ) : (
        <>
          <dl className="share-facts">
            <dt>{t("share.folder")}</dt>
            <dd>
              <code data-testid="share-folder">{status.folder}</code>
            </dd>
            <dt>{t("share.thisDesktop")}</dt>
            <dd data-testid="share-desktop">{status.desktopName}</dd>
          </dl>
          {code !== null && <PairingCode code={code} created={created} />}
          <Peers peers={status.peers} links={links} now={now} />
          <div className="row">
            <button type="button" className="primary" disabled={busy} onClick={() => void syncNow()}>
              {busy ? t("share.working") : t("share.syncNow")}
            </button>
            <button type="button" className="secondary" aria-expanded={code !== null} disabled={busy} onClick={toggleCode}>
              {code !== null ? t("share.hideCode") : t("share.showCode")}
            </button>
            <button type="button" className="secondary" aria-expanded={confirmLeave} onClick={() => {
                setNotice([]);
                setConfirmLeave(!confirmLeave);
              }}>
              {t("share.leave")}
            </button>
          </div>
          <small>{t("share.autoSync")}</small>
          {feedback}
          {confirmLeave && (
            <div className="confirm share-leave" role="alertdialog" aria-labelledby="share-leave-title">
              <p>
                <strong id="share-leave-title">{t("share.leaveTitle")}</strong> {t("share.leaveKeeps")}
              </p>
              <div className="row">
                <button type="button" className="danger" disabled={busy} onClick={() => void leave()}>
                  {t("share.leaveConfirm")}
                </button>
                <button type="button" className="secondary" onClick={() => setConfirmLeave(false)}>
                  {t("common.cancel")}
                </button>
              </div>
            </div>
          )}
          {status.problems.length > 0 && <Problems problems={status.problems} />}
        </>
      )}
      {!status && feedback}
    </section>
  );
}

/** Not shared yet: the two ways in, each a small form. */
function Setup({
  busy,
  onCreate,
  onJoin,
  onModeChange,
}: {
  busy: boolean;
  onCreate: (folder: string, name: string) => Promise<boolean>;
  onJoin: (folder: string, code: string, name: string) => Promise<boolean>;
  onModeChange: () => void;
}) {
  const { t } = useLocale();
  const [mode, setMode] = useState<Mode>(null);
  const [folder, setFolder] = useState("");
  const [name, setName] = useState("");
  const [typed, setTyped] = useState("");
  const [malformed, setMalformed] = useState(false);
  const [pickError, setPickError] = useState<unknown>(null);
  const desktop = inDesktopApp();
  const ids = useId();

  const choose = (next: Mode) => {
    setMode(mode === next ? null : next);
    setMalformed(false);
    onModeChange();
  };
  const pick = async () => {
    setPickError(null);
    try {
      const chosen = await pickFolder(t("share.folder"));
      if (chosen) setFolder(chosen);
    } catch (e) {
      setPickError(e);
    }
  };
  const submit = () => {
    if (mode === "create") return void onCreate(folder.trim(), name);
    const code = normalizeCode(typed);
    setMalformed(code === null);
    if (code !== null) void onJoin(folder.trim(), code, name);
  };

  return (
    <>
      <div className="share-choices">
        <button type="button" className={mode === "create" ? "primary" : "secondary"} aria-expanded={mode === "create"} onClick={() => choose("create")}>
          {t("share.start")}
        </button>
        <button type="button" className={mode === "join" ? "primary" : "secondary"} aria-expanded={mode === "join"} onClick={() => choose("join")}>
          {t("share.join")}
        </button>
      </div>
      {mode && (
        <form
          className="share-form"
          aria-label={mode === "create" ? t("share.start") : t("share.join")}
          data-testid={`share-${mode}`}
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <p className="small">{mode === "create" ? t("share.startHelp") : t("share.joinHelp")}</p>
          <div className="row end">
            <label className="grow">
              <span>{desktop ? t("share.folder") : t("share.folderTarget")}</span>
              <input
                type="text"
                value={folder}
                placeholder={t("share.folderPlaceholder")}
                onChange={(e) => setFolder(e.target.value)}
                readOnly={desktop}
                required
                spellCheck={false}
                data-testid="share-folder-input"
              />
            </label>
            {desktop && (
              <button type="button" onClick={() => void pick()}>
                {t("share.choose")}
              </button>
            )}
          </div>
          {mode === "join" && (
            <label>
              <span>{t("share.code")}</span>
              <input
                type="text"
                className="code-input"
                value={typed}
                placeholder="XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XX"
                onChange={(e) => {
                  setTyped(e.target.value);
                  setMalformed(false);
                }}
                autoComplete="off"
                autoCapitalize="characters"
                spellCheck={false}
                required
                aria-invalid={malformed}
                aria-describedby={malformed ? `${ids}-malformed` : undefined}
                data-testid="share-code-input"
              />
              {malformed && (
                <small id={`${ids}-malformed`} className="danger-text" role="alert">
                  {t("share.codeMalformed")}
                </small>
              )}
            </label>
          )}
          <label>
            <span>{t("share.desktopName")}</span>
            <input
              type="text"
              value={name}
              maxLength={60}
              placeholder={t("share.desktopNamePlaceholder")}
              onChange={(e) => setName(e.target.value)}
              aria-describedby={`${ids}-name-help`}
              data-testid="share-name-input"
            />
            <small id={`${ids}-name-help`}>{t("share.desktopNameHelp")}</small>
          </label>
          <div className="row">
            <button type="submit" className="primary" disabled={busy || folder.trim() === "" || (mode === "join" && typed.trim() === "")}>
              {busy ? t("share.working") : mode === "create" ? t("share.startSubmit") : t("share.joinSubmit")}
            </button>
            <button type="button" className="secondary" onClick={() => choose(null)}>
              {t("common.cancel")}
            </button>
          </div>
          {pickError ? <ErrorPanel failure={toFailure(pickError)} /> : null}
        </form>
      )}
    </>
  );
}

/** The pairing code, big and grouped, to copy, with what it is: a key. */
function PairingCode({ code, created }: { code: string; created: boolean }) {
  const { t } = useLocale();
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  const groups = codeGroups(code);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(code);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  };
  return (
    <div className="pairing" data-testid="pairing">
      {created && (
        <p className="banner info" role="status">
          {t("share.created")}
        </p>
      )}
      <div className="pairing-label">{t("share.code")}</div>
      <div className="pairing-row">
        <code className="pairing-code" data-testid="pairing-code" aria-label={t("share.code")}>
          {groups.map((g, i) => (
            <span key={i}>
              <span className="group">{g}</span>
              {i < groups.length - 1 && (
                <span className="sep" aria-hidden="true">
                  -
                </span>
              )}
            </span>
          ))}
        </code>
        <button type="button" className="secondary" onClick={() => void copy()}>
          {t("share.copy")}
        </button>
      </div>
      {copied && (
        <small role="status" className={copied === "failed" ? "danger-text" : undefined}>
          {copied === "yes" ? t("share.copied") : t("share.copyFailed")}
        </small>
      )}
      <p className="warn" role="note">
        {t("share.codeWarning")}
      </p>
    </div>
  );
}

function Peers({ peers, links, now }: { peers: PeerItem[]; links: LinkItem[]; now: Date }) {
  const { t } = useLocale();
  return (
    <section className="share-peers" aria-labelledby="share-peers-title">
      <h3 id="share-peers-title">{t("share.peers")}</h3>
      {peers.length === 0 ? (
        <p className="small" data-testid="share-no-peers">
          {t("share.noPeers")}
        </p>
      ) : (
        <ul className="peer-list">
          {peers.map((p) => {
            const when = ago(p.lastHeardAt, now);
            const names = peerLinkNames(p, links);
            return (
              <li key={`${p.name}-${p.lastHeardAt}`} className="peer-row" data-testid="share-peer">
                <strong className="peer-name">{p.name}</strong>
                <span className="small" data-testid="share-peer-heard">
                  {t("share.lastHeard", { ago: t(when.key, when.vars), at: formatDateTimeJst(p.lastHeardAt) })}
                </span>
                <span className="small" data-testid="share-peer-links">
                  {names.length > 0 ? t("share.polls", { names: names.join(t("share.listSeparator")) }) : t("share.pollsNone")}
                </span>
              </li>
            );
          })}
        </ul>
      )}
      <small>{t("share.pollsHelp")}</small>
    </section>
  );
}

function Problems({ problems }: { problems: ShareProblem[] }) {
  const { t } = useLocale();
  return (
    <section className="share-problems" aria-labelledby="share-problems-title">
      <h3 id="share-problems-title">{t("share.problems")}</h3>
      <ul className="problem-list">
        {problems.map((p) => (
          <li key={`${p.at}-${p.file}`} data-testid="share-problem" data-problem={p.problem}>
            <span>{t(problemKey(p.problem))}</span>
            <span className="small">
              <code>{p.file}</code> · {formatDateTimeJst(p.at)}
              {p.detail ? ` · ${p.detail}` : ""}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
