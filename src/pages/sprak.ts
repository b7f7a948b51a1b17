import type { APIRoute } from 'astro';
import { DEFAULT_LOCALE, isLocale, localizedPath } from '../lib/locales';
import { LANGUAGE_COOKIE, safeReturnPath } from '../lib/routes';

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/**
 * The language switcher's target: remembers the chosen variant in a cookie and shows the page
 * the person was on in it. A plain link, so it works without JavaScript.
 */
export const GET: APIRoute = ({ url, cookies, redirect }) => {
  const wanted = url.searchParams.get('till') ?? '';
  const locale = isLocale(wanted) ? wanted : DEFAULT_LOCALE;
  cookies.set(LANGUAGE_COOKIE, locale, { path: '/', maxAge: ONE_YEAR_SECONDS, sameSite: 'lax', httpOnly: true });
  return redirect(localizedPath(locale, safeReturnPath(url.searchParams.get('sida')) ?? '/'), 303);
};
