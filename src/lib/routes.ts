/**
 * The portal's addresses, in one place so pages, redirects and the API agree. Swedish slugs,
 * as the Swedish variant lives at the root.
 */
import type { ErrandType } from './intake/schema';
import { splitLocalePath } from './locales';

/** The form page of each errand. */
export const ERRAND_SLUGS: Readonly<Record<ErrandType, string>> = {
  question: 'fraga',
  feedback: 'synpunkt',
  fault_report: 'felanmalan',
  proposal: 'e-forslag',
};

/** The errand whose form lives at `slug`, if any. */
export function errandTypeOfSlug(slug: string | undefined): ErrandType | undefined {
  return (Object.keys(ERRAND_SLUGS) as ErrandType[]).find((type) => ERRAND_SLUGS[type] === slug);
}

/** The form page of an errand. */
export function errandPath(type: ErrandType): string {
  return `/${ERRAND_SLUGS[type]}`;
}

/** The receipt shown right after sending. */
export function receiptPath(statusToken: string): string {
  return `/kvitto/${statusToken}`;
}

/** The errand's status page, reached only through the unguessable link. */
export function statusPath(statusToken: string): string {
  return `/arende/${statusToken}`;
}

/** Where a person asks for a fresh status link with the reference and their e-mail address. */
export const FOLLOW_ERRAND_PATH = '/folj-arende';
/** The names of that form's fields. */
export const FOLLOW_ERRAND_FIELDS = { reference: 'reference', email: 'email' } as const;
/** The query parameter of the page shown after a request for a link, whatever its outcome. */
export const FOLLOW_ERRAND_SENT_PARAM = 'skickat';

/** A stored photo, by its unguessable public id. */
export function photoPath(publicId: string): string {
  return `/bilagor/${publicId}`;
}

/** Fault reports already made, as the public sees them, and one of them with "this is my problem too". */
export const PUBLIC_FAULT_REPORTS_PATH = '/felanmalan/rapporterade';
export function publicFaultReportPath(reference: string): string {
  return `${PUBLIC_FAULT_REPORTS_PATH}/${reference}`;
}

/** The page shown offline in place of a page that is not stored on the device. */
export const OFFLINE_PATH = '/offline';

/** Pages without personal data that the service worker keeps a copy of once visited. */
export const OFFLINE_CACHEABLE_PATHS: ReadonlySet<string> = new Set([
  '/',
  ...Object.values(ERRAND_SLUGS).map((slug) => `/${slug}`),
  '/personuppgifter',
  '/kontakt',
  '/tillganglighet',
  '/svar',
  PUBLIC_FAULT_REPORTS_PATH,
  OFFLINE_PATH,
]);

/** Contact details and opening hours. */
export const CONTACT_PATH = '/kontakt';

/** The page on how personal data is handled. */
export const PRIVACY_PATH = '/personuppgifter';

/** Where the language switcher's links go: it remembers the choice, then shows the page in that language. */
export const LANGUAGE_SWITCH_PATH = '/sprak';

/** The cookie that remembers a chosen language variant. */
export const LANGUAGE_COOKIE = 'sprak';

/** A link that switches to `locale` and comes back to `path` (a path without language prefix). */
export function languageSwitchHref(locale: string, path: string): string {
  return `${LANGUAGE_SWITCH_PATH}?${new URLSearchParams({ till: locale, sida: path })}`;
}

/** Any origin serves to resolve a return path against: only whether it stays on that origin matters. */
const RETURN_PATH_BASE = 'http://portal.invalid';
/**
 * Backslashes (browsers read `/\evil.com` as `//evil.com`), control characters and spaces (they
 * strip tab, CR and LF anywhere in a URL, so `/\t/evil.com` is `//evil.com` too) and a second
 * slash at the start have no place in a path of this site.
 */
const UNSAFE_IN_RETURN_PATH = /[\\\u0000-\u0020\u007f]|^\/\//;
/** Percent-encoding is undone this many times at most, so `%252F` cannot hide a slash either. */
const MAX_DECODINGS = 3;

/**
 * Whether `value` is a plain path of this origin, as written and with the percent-encoding of
 * its path undone (a server or proxy further on may decode it; the query cannot change origin).
 */
function staysOnOrigin(value: string): boolean {
  if (!value.startsWith('/') || UNSAFE_IN_RETURN_PATH.test(value)) return false;
  let path = value.split(/[?#]/, 1)[0] ?? '';
  for (let round = 0; round < MAX_DECODINGS; round += 1) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return false;
    }
    if (decoded === path) return new URL(value, RETURN_PATH_BASE).origin === RETURN_PATH_BASE;
    if (!decoded.startsWith('/') || UNSAFE_IN_RETURN_PATH.test(decoded)) return false;
    path = decoded;
  }
  return false;
}

/**
 * The one check for every return path taken from a request (page feedback's `page`, the
 * language switch's `sida`, staff sign-in's `till`): a path of this site, as the browser will
 * read it (percent-encoded, so it is also a valid `Location` header), or undefined for anything
 * that could lead elsewhere, so no route is ever an open redirect (issue 12, item 6).
 */
export function safeReturnPath(value: string | null | undefined): string | undefined {
  if (typeof value !== 'string' || !staysOnOrigin(value)) return undefined;
  const url = new URL(value, RETURN_PATH_BASE);
  return `${url.pathname}${url.search}${url.hash}`;
}

/** Where the staff side lives. */
export const STAFF_PATH = '/handlaggning';
export const STAFF_SIGN_IN_PATH = `${STAFF_PATH}/logga-in`;
export const STAFF_SIGN_OUT_PATH = `${STAFF_PATH}/logga-ut`;
/** Sign-in's query parameter (and form field) of the staff page to go on to afterwards. */
export const STAFF_RETURN_PARAM = 'till';
/** The field in which every staff form, sign-in and sign-out included, carries its CSRF token. */
export const CSRF_FIELD = 'csrf';
/** Where an admin issues and revokes Open311 API keys. */
export const STAFF_OPEN311_PATH = `${STAFF_PATH}/open311`;

/** Where any staff member registers an errand that came by phone, at the desk, by letter or otherwise. */
export const STAFF_REGISTER_PATH = `${STAFF_PATH}/nytt`;
/** The receipt of a registered errand, opened by its status token (which the receipt hands on). */
export function staffRegisteredPath(statusToken: string): string {
  return `${STAFF_REGISTER_PATH}/${statusToken}`;
}
/** A file kept with an errand, served only to staff who may see the errand. */
export function caseFilePath(publicId: string): string {
  return `${STAFF_PATH}/filer/${publicId}`;
}

/** An errand on the staff side, by its reference. */
export function staffErrandPath(reference: string): string {
  return `${STAFF_PATH}/arende/${reference}`;
}

export function isStaffPath(path: string): boolean {
  return path === STAFF_PATH || path.startsWith(`${STAFF_PATH}/`);
}

/** A return path to a staff page, in either language, or undefined: sign-in's `till` leads nowhere else. */
export function staffReturnPath(value: string | null | undefined): string | undefined {
  const path = safeReturnPath(value);
  return path !== undefined && isStaffPath(splitLocalePath(path.split(/[?#]/, 1)[0] ?? '').path) ? path : undefined;
}

/** Where "Was this page helpful?" is posted. */
export const PAGE_FEEDBACK_PATH = '/sidfeedback';
/** The query parameter that carries a page-feedback answer's token back to the page (or `tack` once commented). */
export const PAGE_FEEDBACK_PARAM = 'sidfeedback';

/** The accessibility statement (tillgänglighetsredogörelse). */
export const ACCESSIBILITY_PATH = '/tillganglighet';

/** Common questions and answers: the search, and each answer. */
export const ANSWERS_PATH = '/svar';
export function answerPath(id: string): string {
  return `${ANSWERS_PATH}/${id}`;
}

/** The elected officials and how to reach them. */
export const ELECTED_OFFICIALS_PATH = '/fortroendevalda';

/** Published e-proposals, one proposal, and the link that confirms a support. */
export const PUBLISHED_PROPOSALS_PATH = '/e-forslag/publicerade';
export function publishedProposalPath(reference: string): string {
  return `${PUBLISHED_PROPOSALS_PATH}/${reference}`;
}
export function supportConfirmationPath(token: string): string {
  return `/e-forslag/bekrafta/${token}`;
}

/** Open fault reports near a place, asked by the fault form while a person fills it in. */
export const NEARBY_FAULT_REPORTS_ENDPOINT = '/api/v1/fault-reports/nearby';
/** Follow-up for managers: the figures page and its exports (`siffror` the figures, `arenden` the errand list). */
export const FOLLOW_UP_PATH = `${STAFF_PATH}/uppfoljning`;
export const FOLLOW_UP_EXPORTS = ['siffror.csv', 'siffror.json', 'arenden.csv', 'arenden.json'] as const;
export type FollowUpExport = (typeof FOLLOW_UP_EXPORTS)[number];
export function followUpExportPath(name: FollowUpExport): string {
  return `${FOLLOW_UP_PATH}/${name}`;
}
