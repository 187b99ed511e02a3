// The language (and its translate function) for every screen, and the household: its members and
// whose money the screens show (the whole household or one member's), shared across screens.

import { createContext, useContext } from "react";
import type { MemberItem } from "./bindings/commands";
import { translate, type Language, type MessageKey } from "./lib/i18n";

export interface Locale {
  lang: Language;
  t: (key: MessageKey, vars?: Record<string, string | number>) => string;
}

export function makeLocale(lang: Language): Locale {
  return { lang, t: (key, vars) => translate(lang, key, vars) };
}

export const LocaleContext = createContext<Locale>(makeLocale("ja"));

export function useLocale(): Locale {
  return useContext(LocaleContext);
}

export interface Household {
  /** In the order they were added. */
  members: MemberItem[];
  /** Two or more members: the switcher, the shares and the members' marks are shown. */
  shared: boolean;
  /** The member the dashboard, history, 家計簿 and exports are narrowed to; null: the whole household. */
  scope: number | null;
  setScope: (memberId: number | null) => void;
  /** The members as a command answered them (after adding, renaming, removing, assigning). */
  setMembers: (members: MemberItem[]) => void;
  /** Reads the members again (after a link was added). */
  reload: () => void;
  /** The member with this id, if they are one. */
  member: (id: number | null) => MemberItem | undefined;
}

export const HouseholdContext = createContext<Household>({
  members: [],
  shared: false,
  scope: null,
  setScope: () => {},
  setMembers: () => {},
  reload: () => {},
  member: () => undefined,
});

export function useHousehold(): Household {
  return useContext(HouseholdContext);
}
