/**
 * Translation, done on the server: pages and endpoints get a `t` for the request's language,
 * islands get already translated strings as props and never load i18next themselves.
 */
import i18next, { type TFunction } from 'i18next';
import ar from '../i18n/ar.json';
import en from '../i18n/en.json';
import fa from '../i18n/fa.json';
import fi from '../i18n/fi.json';
import lattlast from '../i18n/lattlast.json';
import so from '../i18n/so.json';
import uk from '../i18n/uk.json';
import sv from '../i18n/sv.json';
import staffEn from '../i18n/staff/en.json';
import staffSv from '../i18n/staff/sv.json';
import { DEFAULT_LOCALE, type Locale } from './locales';

/** Locale resources: flat JSON files with dotted keys named by where the text is used, one per offered variant. */
export const RESOURCES: Partial<Record<Locale, Record<string, string>>> = { sv, lattlast, en, fi, ar, fa, so, uk };

/** Looks up a text by key, filling in `{{placeholders}}`. */
export type Translate = (key: string, values?: Record<string, string | number>) => string;

const instance = i18next.createInstance();
await instance.init({
  resources: Object.fromEntries(Object.entries(RESOURCES).map(([locale, strings]) => [locale, { translation: strings }])),
  lng: DEFAULT_LOCALE,
  fallbackLng: DEFAULT_LOCALE,
  // Keys are flat ("intake.message.label"), so dots must not be read as nesting.
  keySeparator: false,
  nsSeparator: false,
  // Astro and Preact escape on output; escaping here too would show &amp; to people.
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** A translate function for one locale. */
export function createTranslate(locale: Locale): Translate {
  const fixed: TFunction = instance.getFixedT(locale);
  return (key, values) => (values ? fixed(key, values) : fixed(key));
}

/** A piece of a text: as written, or one of the Swedish names it contains. */
export interface TextPart {
  text: string;
  swedish: boolean;
}

/**
 * Splits a text around the Swedish names in it (the municipality's and the service's own), so a
 * page in another language can mark them lang="sv" and a screen reader says them in Swedish
 * rather than spelling them out in, say, Finnish (WCAG 3.1.2). Longer names are matched first.
 */
export function splitSwedishNames(text: string, names: readonly string[]): TextPart[] {
  const wanted = [...new Set(names.filter((name) => name !== ''))].sort((a, b) => b.length - a.length);
  if (wanted.length === 0) return [{ text, swedish: false }];
  const pattern = new RegExp(`(${wanted.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`, 'u');
  return text
    .split(pattern)
    .filter((part) => part !== '')
    .map((part) => ({ text: part, swedish: wanted.includes(part) }));
}

/** The staff pages' own texts; those pages are in Swedish and English. */
export const STAFF_RESOURCES = { sv: staffSv, en: staffEn } as const;
export type StaffLocale = keyof typeof STAFF_RESOURCES;

const staffInstance = i18next.createInstance();
await staffInstance.init({
  // Staff pages also show what residents see (errand types, statuses): both sets, staff texts on top.
  resources: Object.fromEntries(
    Object.entries(STAFF_RESOURCES).map(([locale, strings]) => [locale, { translation: { ...RESOURCES[locale as StaffLocale], ...strings } }]),
  ),
  lng: DEFAULT_LOCALE,
  fallbackLng: DEFAULT_LOCALE,
  keySeparator: false,
  nsSeparator: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** A translate function for a staff page. */
export function createStaffTranslate(locale: StaffLocale): Translate {
  const fixed: TFunction = staffInstance.getFixedT(locale);
  return (key, values) => (values ? fixed(key, values) : fixed(key));
}
