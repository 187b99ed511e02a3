// Small shared pieces: how an error is shown (what happened, what to do, the details for a
// report), and the warning while a history gap can still be avoided.

import type { AccountCard, SyncProblem } from "./bindings/commands";
import { useLocale } from "./context";
import { explainFailure, explainSyncProblem, type Explanation } from "./lib/errors";
import { formatCalendarDate, jstDate } from "./lib/format";
import { gapDeadline } from "./lib/gaps";
import { CommandError, type Failure } from "./lib/transport";

export function toFailure(e: unknown): Failure {
  if (e instanceof CommandError) return e.failure;
  // Not from the core: a fault in the UI itself.
  return { kind: "badRequest", message: String(e), hint: null };
}

/** The localized headline and advice, with the core's own message folded away as the detail. */
function Explained({ explanation: e, title }: { explanation: Explanation; title?: string }) {
  const { t } = useLocale();
  return (
    <>
      <strong>{title ?? t(e.title, e.vars)}</strong>
      {title && <p>{t(e.title, e.vars)}</p>}
      {e.shown && <pre className="shown">{e.shown}</pre>}
      <p className="hint">{t(e.action, e.vars)}</p>
      {e.detail && (
        <details className="detail">
          <summary>{t("error.detail")}</summary>
          <pre>{e.detail}</pre>
        </details>
      )}
    </>
  );
}

/** A command that failed just now. */
export function ErrorPanel({ failure, title }: { failure: Failure; title?: string }) {
  return (
    <div className="error-panel" role="alert">
      <Explained explanation={explainFailure(failure)} title={title} />
    </div>
  );
}

/** A sync that failed earlier (a link's last error, a sync-log entry): not an alert. */
export function SyncProblemNote({ problem }: { problem: SyncProblem }) {
  return (
    <div className="problem-note" data-testid="sync-problem">
      <Explained explanation={explainSyncProblem(problem)} />
    </div>
  );
}

/** While syncing can still avoid a gap in an account's history: by when, and from which day. */
export function GapDeadline({ account }: { account: Pick<AccountCard, "freshness" | "syncedThrough"> }) {
  const { t } = useLocale();
  if (account.freshness !== "atRisk" || account.syncedThrough === null) return null;
  const { firstAtRisk, lastDay, daysLeft } = gapDeadline(account.syncedThrough, jstDate(new Date()));
  // Past the last day the gap is recorded at the next sync and listed with the account's gaps.
  if (daysLeft < 0) return null;
  const from = formatCalendarDate(firstAtRisk);
  return (
    <div className="warn" data-testid="gap-deadline">
      {daysLeft === 0
        ? t("gap.deadlineToday", { from })
        : t("gap.deadline", { days: daysLeft, date: formatCalendarDate(lastDay), from })}
    </div>
  );
}
