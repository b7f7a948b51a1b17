/**
 * The sign-in page's handling: a person already signed in goes on to where they were going; a
 * post is checked (the sign-in CSRF token, both fields, the password and the lockout) and
 * either starts a session or says, in the person's language, why not. The page only renders.
 */
import type { AstroGlobal } from 'astro';
import { formatDateTime } from '../../lib/dates';
import { FORM_ERROR, type ShownError } from '../../lib/intake/errors';
import { localizedPath, type Locale } from '../../lib/locales';
import { CSRF_FIELD, STAFF_PATH, STAFF_RETURN_PARAM, staffReturnPath } from '../../lib/routes';
import { readFormFields } from '../http';
import { SIGN_IN_CSRF_COOKIE, sameToken, signInCsrfToken, signInWithPassword, startSession } from './sessions';

export type SignInPageResult =
  | { kind: 'redirect'; location: string }
  | { kind: 'page'; status: 200 | 403 | 422 | 429; errors: ShownError[]; email: string; returnTo: string; csrfToken: string };

export async function handleSignIn(astro: AstroGlobal): Promise<SignInPageResult> {
  const { t, locale, services, overHttps } = astro.locals;
  const home = localizedPath(locale as Locale, STAFF_PATH);
  // Only a path on this site is followed; anything else leads to the inbox.
  const safeTarget = (target: string | null | undefined) => staffReturnPath(target) ?? home;
  if (astro.locals.staff) return { kind: 'redirect', location: safeTarget(astro.url.searchParams.get(STAFF_RETURN_PARAM)) };
  const page = (status: 200 | 403 | 422 | 429, errors: ShownError[], email: string, returnTo: string): SignInPageResult => ({
    kind: 'page',
    status,
    errors,
    email,
    returnTo,
    csrfToken: signInCsrfToken(astro.cookies, overHttps),
  });
  if (astro.request.method !== 'POST') return page(200, [], '', astro.url.searchParams.get(STAFF_RETURN_PARAM) ?? '');
  const values = await readFormFields(astro);
  const email = (values['email'] ?? '').trim();
  const password = values['password'] ?? '';
  const returnTo = values[STAFF_RETURN_PARAM] ?? '';
  if (!sameToken(values[CSRF_FIELD], astro.cookies.get(SIGN_IN_CSRF_COOKIE)?.value ?? '\u0000')) {
    return page(403, [{ field: FORM_ERROR, message: t('staff.signIn.wrong') }], email, returnTo);
  }
  if (email === '' || password === '') return page(422, [{ field: email === '' ? 'email' : 'password', message: t('staff.signIn.required') }], email, returnTo);
  const now = new Date();
  const result = await signInWithPassword(services.store, email, password, now);
  if (result.outcome === 'signed_in') {
    await startSession(services.store, astro.cookies, result.user, overHttps, now);
    return { kind: 'redirect', location: safeTarget(returnTo) };
  }
  if (result.outcome === 'locked') return page(429, [{ field: 'email', message: t('staff.signIn.locked', { time: formatDateTime(new Date(result.until), locale as Locale) }) }], email, returnTo);
  return page(422, [{ field: 'email', message: t('staff.signIn.wrong') }], email, returnTo);
}
