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

/** The page on how personal data is handled. */
export const PRIVACY_PATH = '/personuppgifter';
