import type { APIRoute } from 'astro';
import { searchAnswers } from '../../../lib/answers';
import { localizedPath } from '../../../lib/locales';
import { answerPath } from '../../../lib/routes';

/**
 * `GET /api/v1/answers?q=…`: the common answers that best match a text, in the language of
 * Accept-Language (or English, then Swedish, where that language has none). The question form
 * asks this while a person writes.
 */
export const GET: APIRoute = ({ url, locals }) => {
  const query = (url.searchParams.get('q') ?? '').slice(0, 500);
  const { answers, language } = locals.services.answersIn(locals.locale);
  const found = searchAnswers(answers, query).map((answer) => ({
    id: answer.id,
    question: answer.question,
    language,
    url: `${localizedPath(locals.locale, answerPath(answer.id))}?fraga=${encodeURIComponent(query)}`,
  }));
  return Response.json({ answers: found }, { headers: { 'Cache-Control': 'no-store', 'Content-Language': language } });
};
