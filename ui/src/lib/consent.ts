// How close a link's consent is to its end, for the countdown on Links.

import { daysUntil } from "./format";

/** From this many days before the end, Links asks to re-authenticate. */
export const CONSENT_WARN_DAYS = 14;

export type ConsentLevel = "ok" | "soon" | "today" | "expired";

/** Whole JST days left until `expiresAt`, and whether to warn. */
export function consentCountdown(expiresAt: string, now: Date): { days: number; level: ConsentLevel } {
  const days = daysUntil(expiresAt, now);
  const ended = new Date(expiresAt).getTime() <= now.getTime();
  const level: ConsentLevel = ended ? "expired" : days === 0 ? "today" : days <= CONSENT_WARN_DAYS ? "soon" : "ok";
  return { days, level };
}
