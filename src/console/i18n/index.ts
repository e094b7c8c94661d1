import { en, type MessageKey } from "./en.ts";
import { fr } from "./fr.ts";

export type { MessageKey };
export const LOCALES = ["en", "fr"] as const;
export type Locale = (typeof LOCALES)[number];
export const CATALOGS: Record<Locale, Record<MessageKey, string>> = { en, fr };

export function isLocale(s: unknown): s is Locale {
  return typeof s === "string" && (LOCALES as readonly string[]).includes(s);
}

/** The best supported locale of an Accept-Language header (q-values honoured), English when none matches. */
export function negotiate(acceptLanguage: string | undefined): Locale {
  const ranked = (acceptLanguage ?? "")
    .split(",")
    .map((part, i) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { lang: tag.toLowerCase().split("-")[0] ?? "", q: q ? Number(q.slice(2)) : 1, i };
    })
    .filter((x) => x.lang && Number.isFinite(x.q) && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return ranked.map((x) => x.lang).find(isLocale) ?? "en";
}

export interface Translator {
  readonly locale: Locale;
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  date(iso: string | number): string;
  number(n: number): string;
}

export function translator(locale: Locale): Translator {
  const cat = CATALOGS[locale];
  const dateFmt = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
  const numFmt = new Intl.NumberFormat(locale, { maximumFractionDigits: 3 });
  return {
    locale,
    t: (key, vars) => cat[key].replace(/\{(\w+)\}/g, (m, name: string) => (vars && name in vars ? String(vars[name]) : m)),
    date: (v) => {
      const d = new Date(v);
      return Number.isNaN(d.getTime()) ? String(v) : `${dateFmt.format(d)} UTC`;
    },
    number: (n) => numFmt.format(n),
  };
}
