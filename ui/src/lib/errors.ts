// Every error a person sees, in their language: what happened and what to do, chosen by the
// stable kind the core sends. The core's own (English) message stays available as the detail
// for a report; the UI never reads meaning out of it.

import type { SyncErrorKind, SyncProblem } from "../bindings/commands";
import type { MessageKey } from "./i18n";
import type { Failure, FailureKind } from "./transport";

export interface Explanation {
  /** What happened. */
  title: MessageKey;
  /** What to do about it. */
  action: MessageKey;
  vars: Record<string, string | number>;
  /** The core's message (and hint), for a report. */
  detail: string;
  /**
   * The other side's own words that the person needs to see to fix it (a regular expression
   * library's, a file parser's): shown as they are under the headline, not folded away.
   */
  shown: string | null;
}

type Keys = readonly [MessageKey, MessageKey];

/** Typed by the generated unions, so a kind added in the core fails the build until it has text. */
const FAILURE_KEYS: Record<FailureKind, Keys> = {
  kuraUnreachable: ["error.kuraUnreachable", "error.kuraUnreachable.do"],
  unknownCommand: ["error.unknownCommand", "error.unknownCommand.do"],
  badRequest: ["error.badRequest", "error.badRequest.do"],
  invalid: ["error.invalid", "error.invalid.do"],
  notFound: ["error.notFound", "error.notFound.do"],
  network: ["error.network", "error.network.do"],
  reauthRequired: ["error.reauthRequired", "error.reauthRequired.do"],
  accessDenied: ["error.accessDenied", "error.accessDenied.do"],
  timedOut: ["error.timedOut", "error.timedOut.do"],
  browser: ["error.browser", "error.browser.do"],
  loopback: ["error.loopback", "error.loopback.do"],
  keyring: ["error.keyring", "error.keyring.do"],
  clientSecret: ["error.clientSecret", "error.clientSecret.do"],
  config: ["error.config", "error.config.do"],
  storage: ["error.storage", "error.storage.do"],
  remote: ["error.remote", "error.remote.do"],
  memberName: ["error.memberName", "error.memberName.do"],
  memberNameTaken: ["error.memberNameTaken", "error.memberNameTaken.do"],
  export: ["error.export", "error.export.do"],
  invalidPattern: ["error.invalidPattern", "error.invalidPattern.do"],
  ruleTooBroad: ["error.ruleTooBroad", "error.ruleTooBroad.do"],
  ruleDoesNothing: ["error.ruleDoesNothing", "error.ruleDoesNothing.do"],
  categoryName: ["error.categoryName", "error.categoryName.do"],
  categoryNameTaken: ["error.categoryNameTaken", "error.categoryNameTaken.do"],
  categoryLevels: ["error.categoryLevels", "error.categoryLevels.do"],
  rulesFile: ["error.rulesFile", "error.rulesFile.do"],
  rulesFileUnknown: ["error.rulesFileUnknown", "error.rulesFileUnknown.do"],
};

/**
 * Kinds whose `subject` is words to show as they are (the texts of the others name their
 * subject as `{subject}`: a category's name, the names a rules file lacks).
 */
const SUBJECT_SHOWN: ReadonlySet<FailureKind> = new Set(["invalidPattern", "rulesFile"]);

const SYNC_KEYS: Record<SyncErrorKind, Keys> = {
  network: ["syncError.network", "syncError.network.do"],
  timeout: ["syncError.timeout", "syncError.timeout.do"],
  reauthRequired: ["syncError.reauthRequired", "syncError.reauthRequired.do"],
  unauthorized: ["syncError.unauthorized", "syncError.unauthorized.do"],
  tokenUnavailable: ["syncError.tokenUnavailable", "syncError.tokenUnavailable.do"],
  clientCredentials: ["syncError.clientCredentials", "syncError.clientCredentials.do"],
  rateLimited: ["syncError.rateLimited", "syncError.rateLimited.do"],
  maintenance: ["syncError.maintenance", "syncError.maintenance.do"],
  http: ["syncError.http", "syncError.http.do"],
  incompatibleVersion: ["syncError.incompatibleVersion", "syncError.incompatibleVersion.do"],
  malformed: ["syncError.malformed", "syncError.malformed.do"],
  tooLarge: ["syncError.tooLarge", "syncError.tooLarge.do"],
  paging: ["syncError.paging", "syncError.paging.do"],
  insecureUrl: ["syncError.insecureUrl", "syncError.insecureUrl.do"],
  invalidUrl: ["syncError.invalidUrl", "syncError.invalidUrl.do"],
  tls: ["syncError.tls", "syncError.tls.do"],
  store: ["syncError.store", "syncError.store.do"],
  inactiveLink: ["syncError.inactiveLink", "syncError.inactiveLink.do"],
  config: ["syncError.config", "syncError.config.do"],
  other: ["syncError.other", "syncError.other.do"],
};

export const FAILURE_KINDS = Object.keys(FAILURE_KEYS) as FailureKind[];
export const SYNC_ERROR_KINDS = Object.keys(SYNC_KEYS) as SyncErrorKind[];

/** A kind from a core newer than this UI falls back to the generic text (the detail still says it). */
function lookup<K extends string>(table: Record<K, Keys>, kind: string, fallback: Keys): Keys {
  return Object.hasOwn(table, kind) ? table[kind as K] : fallback;
}

/** A command's failure. */
export function explainFailure(failure: Failure): Explanation {
  const [title, action] = lookup(FAILURE_KEYS, failure.kind, ["error.generic", "error.generic.do"]);
  const detail = failure.hint ? `${failure.message}\n${failure.hint}` : failure.message;
  const subject = failure.subject ?? "";
  const shown = SUBJECT_SHOWN.has(failure.kind) && subject !== "" ? subject : null;
  return { title, action, vars: { subject }, detail, shown };
}

/** A failed sync (a sync-log entry or a link's last error). */
export function explainSyncProblem(problem: SyncProblem): Explanation {
  const [title, action] = lookup(SYNC_KEYS, problem.kind, SYNC_KEYS.other);
  const status = problem.httpStatus === null ? "" : `HTTP ${problem.httpStatus}: `;
  return { title, action, vars: { status: problem.httpStatus ?? "?" }, detail: `${status}${problem.message}`, shown: null };
}

/** The union could not be reached at all (what the offline banner says). */
export function isUnreachable(kind: SyncErrorKind): boolean {
  return kind === "network" || kind === "timeout";
}
