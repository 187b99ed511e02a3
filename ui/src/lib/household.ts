// The household's members as the screens use them: which view is shown (the whole household or
// one member's), the members' shares of the total, the colours offered, who may be removed and
// who takes over their links, and what to say after a union was linked.

import type { LinkItem, MemberItem, MemberShare } from "../bindings/commands";
import type { MessageKey } from "./i18n";

/** The colours offered for members, in the order the core gives them to new members. */
export const PALETTE = ["#2f6fb0", "#c0504d", "#4f9a55", "#9a5fb4", "#d08a2e", "#2e9a9a", "#b0577f", "#6b7280"] as const;

/** The first palette colour no member has yet (the first one again once all are taken), as the core picks. */
export function nextColour(taken: readonly string[]): string {
  const used = new Set(taken.map((c) => c.toLowerCase()));
  return PALETTE.find((c) => !used.has(c)) ?? PALETTE[0];
}

/** The member switcher, the shares and the members' marks appear once there are two people. */
export function isShared(members: readonly Pick<MemberItem, "id">[]): boolean {
  return members.length >= 2;
}

/**
 * The member the views are narrowed to: the one chosen while they are still a member of a shared
 * household; otherwise null, the whole household.
 */
export function effectiveScope(members: readonly Pick<MemberItem, "id">[], chosen: number | null): number | null {
  if (chosen === null || !isShared(members)) return null;
  return members.some((m) => m.id === chosen) ? chosen : null;
}

/** A member's part of the household for the bar and the legend. */
export interface ShareSlice {
  id: number;
  name: string;
  colour: string;
  total: number;
  /** Whole percent; the slices' percents add up to 100 when every member's total is positive or zero. */
  percent: number | null;
  /** The slice's width in the bar, 0 to 100 (a negative total takes no room). */
  width: number;
}

/**
 * Each member's share of the household total. The core rounds each share on its own (51 + 50 can
 * make 101); when every total is positive or zero the percents are shared out by the largest
 * remainders instead, so that they add up to exactly 100. Otherwise (a member in the red, no money
 * at all) the core's figures are kept.
 */
export function shareSlices(members: readonly MemberShare[]): ShareSlice[] {
  const positive = members.reduce((s, m) => s + Math.max(0, m.total), 0);
  const width = (m: MemberShare) => (positive > 0 ? (Math.max(0, m.total) / positive) * 100 : 0);
  const exact = positive > 0 && members.every((m) => m.total >= 0);
  if (!exact) return members.map((m) => ({ ...pick(m), percent: m.percent, width: width(m) }));
  const raw = members.map((m) => (m.total / positive) * 100);
  const floors = raw.map(Math.floor);
  let left = 100 - floors.reduce((a, b) => a + b, 0);
  // Largest remainder first; ties to the member added first.
  const order = raw.map((r, i) => ({ i, rest: r - floors[i] })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i] += 1;
    left -= 1;
  }
  return members.map((m, i) => ({ ...pick(m), percent: floors[i], width: width(m) }));
}

function pick(m: MemberShare) {
  return { id: m.id, name: m.name, colour: m.colour, total: m.total };
}

/** What removing `member` asks: whether it may go, who may take over their links, whether to ask which. */
export interface Removal {
  /** The household's last member cannot be removed (every link belongs to someone). */
  allowed: boolean;
  heirs: MemberItem[];
  /** Two or more could take the links over: the person chooses. */
  chooseHeir: boolean;
}

export function removal(members: readonly MemberItem[], member: MemberItem): Removal {
  const heirs = members.filter((m) => m.id !== member.id);
  return { allowed: heirs.length > 0, heirs, chooseHeir: heirs.length >= 2 && member.linkCount > 0 };
}

/** The union's links that still hold a consent (an ended one renews nothing). */
export function linksAtUnion(links: readonly LinkItem[], bankCode: string): LinkItem[] {
  return links.filter((l) => l.bankCode === bankCode && l.status !== "revoked");
}

/** Names for a list, in the language's way: 「わたし」、「花子」 / “Me”, “Hanako”. */
export function nameList(names: readonly string[], lang: "ja" | "en"): string {
  return lang === "ja" ? names.map((n) => `「${n}」`).join("、") : names.map((n) => `“${n}”`).join(", ");
}

/** What to say once a union is linked: a link renewed (the same person) or a new one, and whose. */
export function linkOutcome(
  renewed: boolean,
  shared: boolean,
  bank: string,
  member: string | null,
): { key: MessageKey; vars: Record<string, string> } {
  if (renewed) {
    return shared && member !== null
      ? { key: "link.renewedFor", vars: { bank, member } }
      : { key: "link.renewed", vars: { bank } };
  }
  return shared && member !== null ? { key: "link.addedFor", vars: { bank, member } } : { key: "link.done", vars: { bank } };
}

/** A palette colour's name, for those who cannot see it (and as the swatch's tooltip). */
export function colourKey(colour: string): MessageKey | null {
  const i = PALETTE.indexOf(colour.toLowerCase() as (typeof PALETTE)[number]);
  return i < 0 ? null : (`household.colour.${i}` as MessageKey);
}
