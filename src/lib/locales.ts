/**
 * The language variants the portal is offered in. Swedish is the source and the fallback and
 * lives at the site root; every other variant lives under its own path prefix (`/en/fraga`).
 * Lättläst is easy-read Swedish: its own texts, but Swedish to browsers and screen readers.
 */
const VARIANTS = {
  sv: { tag: 'sv', dir: 'ltr' },
  lattlast: { tag: 'sv', dir: 'ltr' },
  en: { tag: 'en', dir: 'ltr' },
  fi: { tag: 'fi', dir: 'ltr' },
  ar: { tag: 'ar', dir: 'rtl' },
  fa: { tag: 'fa', dir: 'rtl' },
  so: { tag: 'so', dir: 'ltr' },
  uk: { tag: 'uk', dir: 'ltr' },
} as const;

/** A language variant the portal knows how to present. */
export type Locale = keyof typeof VARIANTS;

/**
 * The variants offered to people: those whose texts are complete in src/i18n/<locale>.json
 * (and imported in src/lib/i18n.ts). A variant joins by adding its file and its name here.
 */
export const LOCALES: readonly [Locale, ...Locale[]] = ['sv', 'lattlast', 'en', 'fi', 'ar', 'fa', 'so', 'uk'];

/** Every variant the portal can present, offered or not: what configuration files may name. */
export const KNOWN_LOCALES = Object.keys(VARIANTS) as Locale[];

/** The variant used when nothing else is asked for. */
export const DEFAULT_LOCALE: Locale = 'sv';

/** Whether a string names one of the portal's language variants. */
export function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}

/** The BCP 47 language of a variant, for `lang` attributes and `hreflang`: lättläst is Swedish. */
export function languageTag(locale: Locale): string {
  return VARIANTS[locale].tag;
}

/** Writing direction of a variant, for `dir` attributes. */
export function directionOf(locale: Locale): 'ltr' | 'rtl' {
  return VARIANTS[locale].dir;
}

/**
 * The locale for Intl formatting. Arabic and Persian get Latin digits, the digits of the
 * reference numbers, phone numbers and addresses beside them on every Swedish page.
 */
export function intlLocale(locale: Locale): string {
  return directionOf(locale) === 'rtl' ? `${languageTag(locale)}-u-nu-latn` : languageTag(locale);
}

/** A path inside the portal in a given variant: `/fraga` becomes `/en/fraga` in English. */
export function localizedPath(locale: Locale, path: string): string {
  if (locale === DEFAULT_LOCALE) return path;
  return path === '/' ? `/${locale}/` : `/${locale}${path}`;
}

/** Splits a request path into its variant and the path without the prefix. */
export function splitLocalePath(pathname: string): { locale: Locale; path: string } {
  const [, first = '', ...rest] = pathname.split('/');
  if (first !== DEFAULT_LOCALE && isLocale(first)) return { locale: first, path: `/${rest.join('/')}` };
  return { locale: DEFAULT_LOCALE, path: pathname };
}

/**
 * The best variant for an Accept-Language header, for API answers that have no page to take a
 * language from; Swedish when nothing matches.
 */
export function negotiateLocale(acceptLanguage: string | null): Locale {
  const wanted = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...parameters] = part.trim().split(';');
      const quality = Number(parameters.find((parameter) => parameter.trim().startsWith('q='))?.split('=')[1] ?? 1);
      return { language: tag.toLowerCase().split('-')[0] ?? '', quality: Number.isFinite(quality) ? quality : 0 };
    })
    .filter((entry) => entry.language && entry.quality > 0)
    .sort((a, b) => b.quality - a.quality);
  return wanted.map((entry) => entry.language).find(isLocale) ?? DEFAULT_LOCALE;
}
