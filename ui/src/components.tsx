// Small shared pieces: how an error is shown (what happened, what to do, the details for a
// report), the warning while a history gap can still be avoided, and the household's marks: the
// member switcher and a member's coloured dot and tag.

import type { CSSProperties, KeyboardEvent } from "react";
import type { AccountCard, MemberItem, SyncProblem } from "./bindings/commands";
import { useHousehold, useLocale } from "./context";
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

/**
 * A command that failed just now. `adjust` lets a screen say what a kind means there (the same
 * kind can mean something more precise in one place), starting from the catalogue's explanation.
 */
export function ErrorPanel({
  failure,
  title,
  adjust,
}: {
  failure: Failure;
  title?: string;
  adjust?: (general: Explanation) => Explanation;
}) {
  const general = explainFailure(failure);
  return (
    <div className="error-panel" role="alert">
      <Explained explanation={adjust ? adjust(general) : general} title={title} />
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

/** A member's colour as the CSS custom property the household's marks read (`--member`). */
export function memberStyle(colour: string): CSSProperties {
  return { "--member": colour } as CSSProperties;
}

/** The whole household's mark: every member's colour in one dot. */
function householdStyle(members: MemberItem[]): CSSProperties {
  const step = 100 / Math.max(1, members.length);
  const stops = members.map((m, i) => `${m.colour} ${i * step}% ${(i + 1) * step}%`);
  return { background: `conic-gradient(${stops.join(", ")})` };
}

/** A small dot in a member's colour. */
export function MemberDot({ colour }: { colour: string }) {
  return <span className="member-dot" style={memberStyle(colour)} aria-hidden="true" />;
}

/** A member's dot and name, as an account or a link shows whose it is. */
export function MemberTag({ member }: { member: Pick<MemberItem, "name" | "colour"> }) {
  return (
    <span className="member-tag" style={memberStyle(member.colour)} data-testid="member-tag">
      <span className="member-dot" aria-hidden="true" />
      {member.name}
    </span>
  );
}

/**
 * Whose money the screens show: the whole household or one member (a radio group of chips, arrow
 * keys move between them). Only shown once the household has two or more members.
 */
export function MemberSwitcher() {
  const { t } = useLocale();
  const { members, shared, scope, setScope } = useHousehold();
  if (!shared) return null;
  const choices: { id: number | null; name: string; style: CSSProperties; dot: CSSProperties | undefined }[] = [
    { id: null, name: t("household.all"), style: {}, dot: householdStyle(members) },
    ...members.map((m) => ({ id: m.id, name: m.name, style: memberStyle(m.colour), dot: undefined })),
  ];
  const move = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.key === "ArrowRight" || e.key === "ArrowDown" ? 1 : e.key === "ArrowLeft" || e.key === "ArrowUp" ? -1 : 0;
    if (step === 0) return;
    e.preventDefault();
    const at = choices.findIndex((c) => c.id === scope);
    const next = choices[(at + step + choices.length) % choices.length];
    setScope(next.id);
    e.currentTarget.querySelector<HTMLButtonElement>(`[data-member="${next.id ?? "all"}"]`)?.focus();
  };
  return (
    <div className="member-switcher" role="radiogroup" aria-label={t("household.switcher")} onKeyDown={move} data-testid="member-switcher">
      {choices.map((c) => (
        <button
          key={c.id ?? "all"}
          type="button"
          role="radio"
          aria-checked={scope === c.id}
          tabIndex={scope === c.id ? 0 : -1}
          className={c.id === null ? "member-chip all" : "member-chip"}
          style={c.style}
          data-member={c.id ?? "all"}
          onClick={() => setScope(c.id)}
        >
          <span className="member-dot" style={c.dot} aria-hidden="true" />
          <span className="member-name">{c.name}</span>
        </button>
      ))}
    </div>
  );
}
