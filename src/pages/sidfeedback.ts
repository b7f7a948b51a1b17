import { randomBytes } from 'node:crypto';
import type { APIRoute } from 'astro';
import { PAGE_FEEDBACK_PARAM, safeReturnPath } from '../lib/routes';
import { readFormFields } from '../server/http';
import { loggablePath } from '../server/log';

const COMMENT_LIMIT = 1000;

/** The page a form was on, without query or fragment: a path of this site, never another address. */
function pageOf(value: string | undefined): string | undefined {
  const path = value !== undefined && value.length <= 300 ? safeReturnPath(value) : undefined;
  return path?.split(/[?#]/, 1)[0];
}

/**
 * "Was this page helpful?": stores a yes or no (and later an optional comment) and takes the
 * person back to the page they were on. Stored paths have status-link tokens taken out.
 */
export const POST: APIRoute = async (context) => {
  const { locals, redirect } = context;
  const values = await readFormFields(context);
  const page = pageOf(values['page']);
  if (!page) return new Response(null, { status: 400 });
  const back = (state: string) => redirect(`${page}?${PAGE_FEEDBACK_PARAM}=${state}#${PAGE_FEEDBACK_PARAM}`, 303);
  const { store } = locals.services;
  if (values['token'] !== undefined) {
    const comment = (values['comment'] ?? '').trim().slice(0, COMMENT_LIMIT);
    if (comment !== '') await store.commentPageFeedback(values['token'], comment);
    return back('tack');
  }
  if (values['helpful'] !== 'yes' && values['helpful'] !== 'no') return back('');
  const token = randomBytes(12).toString('base64url');
  await store.addPageFeedback({ token, page: loggablePath(page), language: locals.locale, helpful: values['helpful'] === 'yes' }, new Date());
  return back(token);
};
