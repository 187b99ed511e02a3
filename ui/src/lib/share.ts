// Sharing the household with another desktop, as Settings shows it: the pairing code as typed and
// as shown, when another desktop was last heard from, which links it fetches, what a round of
// sharing brought, why a file of the shared folder was left alone, and what a refusal means here.

import type { LinkItem, PeerItem, ShareProblemKind, ShareSyncReport } from "../bindings/commands";
import type { Explanation } from "./errors";
import type { MessageKey } from "./i18n";
import type { Failure } from "./transport";

/** A message key and its placeholders. */
export interface Said {
  key: MessageKey;
  vars: Record<string, string | number>;
}

/** The pairing code's alphabet (Crockford's base32: no I, L, O or U). */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** 128 bits in base32. */
export const CODE_LENGTH = 26;

/**
 * A pairing code as a person typed it, read the way the core reads it (any case, dashes and
 * spaces ignored, I and L as 1, O as 0; full-width characters from a Japanese IME as their
 * ASCII): the code in groups of four, or null when it cannot be one.
 */
export function normalizeCode(typed: string): string | null {
  const plain = typed
    .normalize("NFKC")
    .toUpperCase()
    .replace(/[\s\-‐‑‒–—−ー]/g, "")
    .replace(/[IL]/g, "1")
    .replace(/O/g, "0");
  if (plain.length !== CODE_LENGTH || [...plain].some((c) => !ALPHABET.includes(c))) return null;
  return codeGroups(plain).join("-");
}

/** The code in groups of four, as it is shown big (the last group is shorter). */
export function codeGroups(code: string): string[] {
  const plain = code.replace(/[-\s]/g, "");
  const groups: string[] = [];
  for (let i = 0; i < plain.length; i += 4) groups.push(plain.slice(i, i + 4));
  return groups;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** How long ago `at` was, in the largest whole unit (a moment in the future, a clock ahead: just now). */
export function ago(at: string, now: Date): Said {
  const ms = now.getTime() - new Date(at).getTime();
  if (ms < MINUTE) return { key: "share.ago.now", vars: {} };
  if (ms < HOUR) return { key: "share.ago.minutes", vars: { count: Math.floor(ms / MINUTE) } };
  if (ms < DAY) {
    const count = Math.floor(ms / HOUR);
    return { key: count === 1 ? "share.ago.hour" : "share.ago.hours", vars: { count } };
  }
  const count = Math.floor(ms / DAY);
  return { key: count === 1 ? "share.ago.day" : "share.ago.days", vars: { count } };
}

/** The union of each link another desktop fetches, in the order the core gave them; a link this desktop does not know (yet) by its number. */
export function peerLinkNames(peer: Pick<PeerItem, "links">, links: readonly Pick<LinkItem, "id" | "bankName">[]): string[] {
  return peer.links.map((id) => links.find((l) => l.id === id)?.bankName ?? `#${id}`);
}

/** What a round of sharing (or joining) brought, as one sentence. */
export function syncSummary(report: ShareSyncReport, joined: boolean): Said {
  const vars = { lines: report.lines, edits: report.edits };
  if (report.applied === 0) return { key: joined ? "share.joined.nothing" : "share.synced.nothing", vars };
  return { key: joined ? "share.joined" : "share.synced", vars };
}

/** Why a file of the shared folder was not applied, in plain words. */
const PROBLEM_KEYS: Record<ShareProblemKind, MessageKey> = {
  notKura: "share.problem.notKura",
  newer: "share.problem.newer",
  otherHousehold: "share.problem.otherHousehold",
  misplaced: "share.problem.misplaced",
  incomplete: "share.problem.incomplete",
  wrongKey: "share.problem.wrongKey",
  unreadable: "share.problem.unreadable",
};

export const PROBLEM_KINDS = Object.keys(PROBLEM_KEYS) as ShareProblemKind[];

/** A problem kind from a newer core reads as "cannot be read". */
export function problemKey(kind: string): MessageKey {
  return Object.hasOwn(PROBLEM_KEYS, kind) ? PROBLEM_KEYS[kind as ShareProblemKind] : PROBLEM_KEYS.unreadable;
}

/**
 * A refusal of starting or joining a share, in this section's words. The core says `invalid` for
 * a folder that already holds a household, one that holds none, and a code that does not open it,
 * without telling them apart by kind (its English message, kept as the detail, does); so the
 * advice names what to check. `storage` here is the shared folder, not the data folder. Other
 * kinds keep the catalogue's general text.
 */
export function shareFailure(failure: Failure, doing: "create" | "join", general: Explanation): Explanation {
  if (failure.kind === "invalid") {
    return doing === "join"
      ? { ...general, title: "share.error.join", action: "share.error.join.do" }
      : { ...general, title: "share.error.create", action: "share.error.create.do" };
  }
  if (failure.kind === "storage") return { ...general, title: "share.error.folder", action: "share.error.folder.do" };
  return general;
}
