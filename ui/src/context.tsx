// The language (and its translate function) for every screen.

import { createContext, useContext } from "react";
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
