/**
 * The portal's addresses, in one place so pages, redirects and the API agree. Swedish slugs,
 * as the Swedish variant lives at the root.
 */
import type { ErrandType } from './intake/schema';

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

/** A path given in a query is followed only if it stays inside the portal: never an open redirect. */
export function safeLocalPath(path: string | null): string {
  return path && /^\/(?![\/\\])/.test(path) ? path : '/';
}

/** Where the staff side lives. */
export const STAFF_PATH = '/handlaggning';
export const STAFF_SIGN_IN_PATH = `${STAFF_PATH}/logga-in`;
export const STAFF_SIGN_OUT_PATH = `${STAFF_PATH}/logga-ut`;
/** Where an admin issues and revokes Open311 API keys. */
export const STAFF_OPEN311_PATH = `${STAFF_PATH}/open311`;

/** An errand on the staff side, by its reference. */
export function staffErrandPath(reference: string): string {
  return `${STAFF_PATH}/arende/${reference}`;
}

export function isStaffPath(path: string): boolean {
  return path === STAFF_PATH || path.startsWith(`${STAFF_PATH}/`);
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
