/**
 * "Följ ditt ärende": a person who no longer has their status link gives the reference and the
 * e-mail address they sent the errand with, and gets a fresh link at that address. The page
 * answers the same whether or not the two belong together, so it tells no one which references
 * exist or which address sent what; only the errand's own address ever gets the link.
 */
import type { AstroGlobal } from 'astro';
import { FORM_ERROR, type ShownError } from '../lib/intake/errors';
import { exampleReference, parseReference } from '../lib/intake/reference';
import { isEmailAddress } from '../lib/intake/schema';
import { FOLLOW_ERRAND_FIELDS, FOLLOW_ERRAND_PATH, FOLLOW_ERRAND_SENT_PARAM } from '../lib/routes';
import { publicOrigin, readFormFields } from './http';
import { hashStatusToken, newStatusToken } from './intake';
import { errandLocale, statusLink, statusLinkEmail } from './mail/messages';
import { retryAfterSeconds } from './rate-limit';

/** Requests a minute for one reference, and for one address: enough for typing errors, too few to guess. */
const REQUESTS_PER_MINUTE = 3;
/** Fresh links one errand gets a day at most, so its address cannot be flooded. */
const LINKS_PER_DAY = 5;
const BODY_LIMIT_BYTES = 16 * 1024;

export interface FollowErrandState {
  errors: ShownError[];
  values: { reference: string; email: string };
  /** A request was taken: the page says a link is on its way if the details match. */
  sent: boolean;
}

/** The page's answer: the form (with errors and what was typed), or the redirect that follows every request taken. */
export type FollowErrandResult = { kind: 'redirect'; location: string } | { kind: 'page'; status: 200 | 422 | 429; retryAfter?: number; state: FollowErrandState };

/**
 * Takes the page's post: checks the reference's format and the address, counts the request
 * against the reference and against the address, and, when the two belong to one errand that
 * still has its address, queues a fresh status link to it in the errand's language.
 */
export async function handleFollowErrand(astro: AstroGlobal): Promise<FollowErrandResult> {
  const { services, t } = astro.locals;
  const { config, store } = services;
  const now = new Date();
  if (astro.request.method !== 'POST') {
    return { kind: 'page', status: 200, state: { errors: [], values: { reference: '', email: '' }, sent: astro.url.searchParams.has(FOLLOW_ERRAND_SENT_PARAM) } };
  }
  const posted = await readFormFields(astro, BODY_LIMIT_BYTES);
  const values = { reference: (posted[FOLLOW_ERRAND_FIELDS.reference] ?? '').trim(), email: (posted[FOLLOW_ERRAND_FIELDS.email] ?? '').trim() };
  const page = (status: 422 | 429, errors: ShownError[], retryAfter?: number): FollowErrandResult => ({
    kind: 'page',
    status,
    ...(retryAfter === undefined ? {} : { retryAfter }),
    state: { errors, values, sent: false },
  });

  const reference = parseReference(values.reference, config.referencePrefix);
  const example = exampleReference(config.referencePrefix, now);
  const errors: ShownError[] = [];
  if (values.reference === '') errors.push({ field: FOLLOW_ERRAND_FIELDS.reference, message: t('error.reference.required') });
  else if (!reference) errors.push({ field: FOLLOW_ERRAND_FIELDS.reference, message: t('error.reference.invalid', { example }) });
  if (values.email === '') errors.push({ field: FOLLOW_ERRAND_FIELDS.email, message: t('error.email.required') });
  else if (!isEmailAddress(values.email)) errors.push({ field: FOLLOW_ERRAND_FIELDS.email, message: t('error.email.invalid') });
  if (errors.length > 0 || !reference) return page(422, errors);

  // Counted whether or not the two match, so being refused says nothing about either.
  const address = values.email.toLowerCase();
  const waits = [
    astro.locals.retryAfterSeconds,
    await retryAfterSeconds(store, `follow-errand:reference:${reference}`, now, REQUESTS_PER_MINUTE),
    await retryAfterSeconds(store, `follow-errand:email:${address}`, now, REQUESTS_PER_MINUTE),
  ].filter((wait): wait is number => wait !== undefined);
  if (waits.length > 0) return page(429, [{ field: FORM_ERROR, message: t('errorSummary.rateLimited') }], Math.max(...waits));

  const stored = await store.submissionByReference(reference);
  // An anonymous errand has no address and a purged one none left: the same answer, and no mail.
  if (stored && stored.purgedAt === null && stored.submission.contact?.email?.toLowerCase() === address) {
    const token = newStatusToken();
    const email = statusLinkEmail(stored, config, statusLink(publicOrigin(astro.url), errandLocale(stored), token));
    if (email && (await store.addStatusLink(stored.id, hashStatusToken(token), email, now, LINKS_PER_DAY))) services.mail.nudge();
  }
  return { kind: 'redirect', location: `${astro.locals.localePath(FOLLOW_ERRAND_PATH)}?${FOLLOW_ERRAND_SENT_PARAM}` };
}
