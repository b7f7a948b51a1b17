/**
 * The language variants the portal is offered in. Swedish is the source and the fallback; it
 * lives at the site root, every other variant under its own path prefix.
 */
export const LOCALES = ['sv'] as const;

/** One of the portal's language variants. */
export type Locale = (typeof LOCALES)[number];

/** The variant used when nothing else is asked for. */
export const DEFAULT_LOCALE: Locale = 'sv';

/** Whether a string names one of the portal's language variants. */
export function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}
