/**
 * The language variants as the browser tests see them: their path prefix, the lang and dir a
 * page must carry, and their texts read straight from the locale files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from '../helpers/server';
import { LOCALES, directionOf, languageTag, localizedPath, type Locale } from '../../src/lib/locales';

/** One language variant of the portal. */
export interface Variant {
  locale: Locale;
  lang: string;
  dir: 'ltr' | 'rtl';
  /** The variant's path for an unprefixed page path. */
  path(page: string): string;
  /** The variant's text for a locale key. */
  text(key: string): string;
}

function load(locale: Locale): Record<string, string> {
  return JSON.parse(readFileSync(join(repositoryRoot, 'src/i18n', `${locale}.json`), 'utf8')) as Record<string, string>;
}

export const VARIANTS: readonly Variant[] = LOCALES.map((locale) => {
  const strings = load(locale);
  return {
    locale,
    lang: languageTag(locale),
    dir: directionOf(locale),
    path: (page) => localizedPath(locale, page),
    text: (key) => {
      const value = strings[key];
      if (value === undefined) throw new Error(`${locale}.json has no ${key}`);
      return value;
    },
  };
});

/** The variant of a locale. */
export function variant(locale: Locale): Variant {
  const found = VARIANTS.find((candidate) => candidate.locale === locale);
  if (!found) throw new Error(`no variant ${locale}`);
  return found;
}

/** The pages that need no submission, with the locale key of their heading and their status. */
export const PAGES: readonly { path: string; heading: string; status: number }[] = [
  { path: '/', heading: 'home.heading', status: 200 },
  { path: '/fraga', heading: 'errand.question.action', status: 200 },
  { path: '/synpunkt', heading: 'errand.feedback.action', status: 200 },
  { path: '/felanmalan', heading: 'errand.fault_report.action', status: 200 },
  { path: '/e-forslag', heading: 'errand.proposal.action', status: 200 },
  { path: '/personuppgifter', heading: 'privacy.title', status: 200 },
  { path: '/kontakt', heading: 'contact.title', status: 200 },
  { path: '/folj-arende', heading: 'follow.title', status: 200 },
  { path: '/tillganglighet', heading: 'a11y.title', status: 200 },
  { path: '/svar', heading: 'answers.title', status: 200 },
  { path: '/fortroendevalda', heading: 'officials.title', status: 200 },
  { path: '/e-forslag/publicerade', heading: 'proposals.title', status: 200 },
  { path: '/felanmalan/rapporterade', heading: 'faults.title', status: 200 },
  { path: '/offline', heading: 'offline.title', status: 200 },
  { path: '/sidan-finns-inte', heading: 'notFound.title', status: 404 },
  { path: '/kvitto/okand-lank-utan-arende-1234', heading: 'notFound.title', status: 404 },
];
