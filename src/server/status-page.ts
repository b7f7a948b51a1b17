/**
 * The resident's status page: what it shows (status, dates, the replies and the person's own
 * answers) and what it takes by post — one answer back per reply from staff, and one rating of
 * how the person was treated once there is a reply. The unguessable link is the only key.
 */
import type { AstroGlobal } from 'astro';
import type { ShownError } from '../lib/intake/errors';
import { cleanedFreeText, TEXT_LIMITS } from '../lib/intake/schema';
import { findByStatusToken } from './intake';
import { readFormFields } from './http';
import { PUBLIC_EVENT_KINDS } from '../lib/errands';
import type { ErrandEvent } from './storage/cases';
import type { StoredSubmission } from './storage/index';

export const ANSWER_FIELD = 'answer';
export const RATING_FIELD = 'rating';
export const RATING_COMMENT_FIELD = 'ratingComment';
export const RATINGS = [1, 2, 3, 4, 5] as const;
const BODY_LIMIT_BYTES = 64 * 1024;

export interface StatusPageState {
  stored: StoredSubmission;
  events: ErrandEvent[];
  answeredAt: string | null;
  rating: number | null;
  canAnswer: boolean;
  canRate: boolean;
  errors: ShownError[];
  values: Record<string, string>;
  /** What was just sent (after the redirect that follows a post). */
  sent: 'answer' | 'rating' | undefined;
}

export type StatusPageResult = { kind: 'not_found' } | { kind: 'redirect'; location: string } | { kind: 'page'; status: 200 | 422; state: StatusPageState };

export async function handleStatusPage(astro: AstroGlobal): Promise<StatusPageResult> {
  const { services } = astro.locals;
  const stored = await findByStatusToken(services, astro.params['token']);
  if (!stored) return { kind: 'not_found' };
  const load = async () => {
    const [events, facts] = await Promise.all([services.store.events(stored.id), services.store.caseFacts(stored.id)]);
    const replies = events.filter((event) => event.kind === 'reply').length;
    const answers = events.filter((event) => event.kind === 'resident_reply').length;
    return {
      events: events.filter((event) => PUBLIC_EVENT_KINDS.has(event.kind)),
      answeredAt: facts?.answeredAt ?? null,
      rating: facts?.rating ?? null,
      // Once its personal data is removed, the page shows only where the errand stands.
      canAnswer: stored.purgedAt === null && replies > answers,
      canRate: stored.purgedAt === null && replies > 0 && facts?.rating === null,
    };
  };
  const sentParam = astro.url.searchParams.get('skickat');
  const sent = sentParam === 'answer' || sentParam === 'rating' ? sentParam : undefined;
  if (astro.request.method !== 'POST') return { kind: 'page', status: 200, state: { stored, ...(await load()), errors: [], values: {}, sent } };

  const values = await readFormFields(astro, BODY_LIMIT_BYTES);
  const { t } = astro.locals;
  const current = await load();
  const back = (errors: ShownError[]) => ({ kind: 'page', status: 422, state: { stored, ...current, errors, values, sent: undefined } }) as const;
  const now = new Date();
  // The address as the person sees it: Astro.url is the page's own, without the language prefix.
  const here = astro.locals.localePath(astro.url.pathname);
  if (values['action'] === 'answer' && current.canAnswer) {
    const answer = cleanedFreeText(values[ANSWER_FIELD]);
    if (answer === '') return back([{ field: ANSWER_FIELD, message: t('error.message.required') }]);
    if (answer.length > TEXT_LIMITS.message) return back([{ field: ANSWER_FIELD, message: t('error.message.tooLong') }]);
    await services.store.recordAction(stored.id, { event: { actor: 'resident', staffUserId: null, kind: 'resident_reply', data: { text: answer } }, changes: { status: 'in_progress' } }, now);
    return { kind: 'redirect', location: `${here}?skickat=answer` };
  }
  if (values['action'] === 'rate' && current.canRate) {
    const rating = Number(values[RATING_FIELD]);
    const comment = cleanedFreeText(values[RATING_COMMENT_FIELD]);
    if (!RATINGS.includes(rating as (typeof RATINGS)[number])) return back([{ field: RATING_FIELD, message: t('error.rating.required') }]);
    if (comment.length > TEXT_LIMITS.message) return back([{ field: RATING_COMMENT_FIELD, message: t('error.message.tooLong') }]);
    await services.store.recordAction(
      stored.id,
      { event: { actor: 'resident', staffUserId: null, kind: 'rating', data: { rating, comment: comment || null } }, changes: { rating, ratingComment: comment || null } },
      now,
    );
    return { kind: 'redirect', location: `${here}?skickat=rating` };
  }
  // A second answer to the same reply, or a second rating: nothing to take, the page says where things stand.
  return { kind: 'redirect', location: here };
}
