/**
 * Runs before every page and endpoint: works out the request's language variant from its path
 * prefix (`/en/fraga` is the page `/fraga` in English), hands over the process's services and
 * translation, refuses cross-site posts and clients over their rate limit, answers every failure
 * (a refused body, a storage outage, anything unexpected) in the route's own format, sets the
 * security headers, and logs each request without personal data.
 */
import type { AstroCookies } from 'astro';
import { defineMiddleware } from 'astro:middleware';
import { createStaffTranslate, createTranslate } from './lib/i18n';
import { DEFAULT_LOCALE, directionOf, isLocale, localizedPath, negotiateLocale, splitLocalePath, type Locale } from './lib/locales';
import { isStaffPath, LANGUAGE_COOKIE, safeReturnPath, STAFF_RETURN_PARAM, STAFF_SIGN_IN_PATH } from './lib/routes';
import { currentSession } from './server/staff/sessions';
import { BodyRejectedError, FORM_FORMATS, keptPostOf, MEDIA_TYPES, problemResponse, publicOrigin, readRequestBody } from './server/http';
import { formatOfPath, isOpen311Path, open311Error } from './server/open311/responses';
import { errorKind, logEvent, loggablePath } from './server/log';
import { retryAfterSeconds } from './server/rate-limit';
import {
  API_CONTENT_SECURITY_POLICY,
  pageContentSecurityPolicy,
  SECURITY_HEADERS,
  STRICT_TRANSPORT_SECURITY,
} from './server/security-headers';
import { handedOverClient } from './server/client';
import { services } from './server/services';
import { StorageUnavailableError } from './server/storage/index';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The page shown in place of one that needs storage while storage is down. */
const UNAVAILABLE_PAGE = '/ej-tillganglig';
/** The page shown when a person's post could not be read (broken, too large or of another type). */
const REJECTED_BODY_PAGE = '/ej-mottaget';
/** The page shown when something failed that should not have. */
const SERVER_ERROR_PAGE = '/500';
/** No route takes more than this (server.mjs refuses larger bodies before they reach us). */
const ANY_BODY_LIMIT_BYTES = 80 * 1024 * 1024;

/**
 * Browsers send Origin with every cross-site request that changes state; a foreign one is
 * refused so other sites cannot post in a visitor's name. API clients that send no Origin
 * are not browsers and are let through.
 */
function isForeignOrigin(request: Request, ownOrigin: string): boolean {
  const origin = request.headers.get('origin');
  return !SAFE_METHODS.has(request.method) && origin !== null && origin !== ownOrigin;
}

/** The API, Open311 and the health check have no language in their path: they answer in the one asked for. */
function isMachineRoute(pathname: string): boolean {
  return pathname.startsWith('/api/') || pathname === '/healthz' || isOpen311Path(pathname);
}

/**
 * What the middleware itself answers a machine when it refuses a request: Open311 paths get
 * Open311's error format (their clients read nothing else), every other route a problem.
 */
function machineRefusal(pathname: string, t: App.Locals['t'], status: number, description: string, headers?: Record<string, string>): Response {
  if (isOpen311Path(pathname)) return open311Error(formatOfPath(pathname).format, status, description, headers);
  return problemResponse(status, { title: t(`api.problem.${status}.title`), detail: description }, headers);
}

export const onRequest = defineMiddleware(async (context, next) => {
  const started = performance.now();
  const { pathname, search } = context.url;
  const machineRoute = isMachineRoute(pathname);
  const { locale, path } = machineRoute
    ? { locale: negotiateLocale(context.request.headers.get('accept-language')), path: pathname }
    : splitLocalePath(pathname);
  const t = createTranslate(locale);
  context.locals.services = services;
  context.locals.locale = locale;
  context.locals.t = t;
  context.locals.dir = directionOf(locale);
  context.locals.localePath = (target) => localizedPath(locale, target);
  const client = handedOverClient(context.request);
  // Not the request URL's scheme: Astro builds it from X-Forwarded-Proto, which anyone can send.
  const overHttps = client?.secure === true || process.env['PUBLIC_URL']?.startsWith('https:') === true;
  context.locals.overHttps = overHttps;
  const staffPage = !machineRoute && isStaffPath(path);

  let response: Response;
  try {
    response = await route();
  } catch (error) {
    response = await failureAnswer(error);
  }

  /**
   * The one mapping from a failure to its answer. Machines get their API's format with the
   * status; a person gets a page in their language, rendered from a fresh GET request so no
   * step reads the post's body a second time (the page takes what the reader kept).
   */
  async function failureAnswer(error: unknown): Promise<Response> {
    const fallback = (page: string) => {
      const headers = new Headers(context.request.headers);
      for (const name of ['content-type', 'content-length', 'transfer-encoding']) headers.delete(name);
      return next(new Request(new URL(page, context.url), { headers }));
    };
    if (error instanceof BodyRejectedError) {
      logEvent('info', 'body_rejected', { path: loggablePath(pathname), status: error.status, reason: error.message });
      if (machineRoute) return machineRefusal(pathname, t, error.status, bodyRejectionText(error, pathname, t), error.status === 415 ? { Accept: error.accepted.map((format) => MEDIA_TYPES[format]).join(', ') } : {});
      context.locals.bodyRejection = error;
      return fallback(REJECTED_BODY_PAGE);
    }
    if (error instanceof StorageUnavailableError) {
      logEvent('warn', 'storage_unavailable', { path: loggablePath(pathname), reason: error.message });
      if (machineRoute) return machineRefusal(pathname, t, 503, t('api.problem.503.storage'), { 'Retry-After': '5' });
      // A post refused before its route read it (the rate limit and the staff session need storage too) is read now, once.
      if (!SAFE_METHODS.has(context.request.method) && !context.locals.requestBody && !context.request.bodyUsed) {
        await readRequestBody(context, { accept: FORM_FORMATS, limitBytes: ANY_BODY_LIMIT_BYTES }).catch(() => undefined);
      }
      context.locals.keptPost = keptPostOf(context.locals.requestBody, `${pathname}${search}`);
      return fallback(UNAVAILABLE_PAGE);
    }
    logEvent('error', 'request_failed', { method: context.request.method, path: loggablePath(pathname), error: errorKind(error) });
    if (machineRoute) return machineRefusal(pathname, t, 500, t('api.problem.500.detail'));
    return fallback(SERVER_ERROR_PAGE);
  }

  async function route(): Promise<Response> {
    if (isForeignOrigin(context.request, publicOrigin(context.url))) return machineRefusal(pathname, t, 403, t('api.problem.403.origin'));
    if (!SAFE_METHODS.has(context.request.method)) {
      const wait = await retryAfterSeconds(services.store, client?.address ?? context.clientAddress, new Date());
      if (wait !== undefined) {
        logEvent('warn', 'rate_limited', { path: loggablePath(pathname), retryAfter: wait });
        // A person's form comes back with what they typed; machines get an error in their API's format.
        if (machineRoute) return machineRefusal(pathname, t, 429, t('api.problem.429.detail', { seconds: wait }), { 'Retry-After': String(wait) });
        context.locals.retryAfterSeconds = wait;
      }
    }
    if (staffPage) {
      // Staff pages are in Swedish and English; lättläst leads to Swedish, other languages to English.
      if (locale !== 'sv' && locale !== 'en') return context.redirect(`${localizedPath(locale === 'lattlast' ? 'sv' : 'en', path)}${search}`, 302);
      context.locals.t = createStaffTranslate(locale);
      context.locals.staff = await currentSession(services.store, context.cookies, new Date());
      if (!context.locals.staff && path !== STAFF_SIGN_IN_PATH) {
        return context.redirect(`${localizedPath(locale, STAFF_SIGN_IN_PATH)}?${STAFF_RETURN_PARAM}=${encodeURIComponent(`${pathname}${search}`)}`, 303);
      }
    }
    // Someone who chose another language and lands on the Swedish start page is taken to theirs.
    const remembered = pathname === '/' && context.request.method === 'GET' ? rememberedLocale(context.cookies.get(LANGUAGE_COOKIE)?.value) : undefined;
    if (remembered) return context.redirect(localizedPath(remembered, '/'), 302);
    // Every variant is served by the same pages: the prefix is taken off and the page renders in `locale`.
    // What follows the prefix is a path taken from the request: `/en//evil.example` must not
    // become a page of another origin (its links and status links built from Astro.url), so it is not found.
    const unprefixed = path === pathname ? undefined : safeReturnPath(`${path}${search}`);
    return unprefixed === undefined ? next() : next(unprefixed);
  }

  response = await withSecurityHeaders(response, overHttps);
  if (context.routePattern === ASTRO_NOT_FOUND_ROUTE) withCookiesWritten(response, context.cookies);
  if (staffPage) {
    // Nothing of the staff side is kept by browsers or proxies, or found by search engines.
    response.headers.set('Cache-Control', 'no-store');
    response.headers.set('X-Robots-Tag', 'noindex');
  }
  logEvent('info', 'request', {
    method: context.request.method,
    path: loggablePath(pathname),
    status: response.status,
    ms: Math.round(performance.now() - started),
  });
  return response;
});

/** What a machine is told about a body it sent that could not be taken. */
function bodyRejectionText(error: BodyRejectedError, pathname: string, t: App.Locals['t']): string {
  const open311 = isOpen311Path(pathname);
  if (error.status === 413) return t('api.problem.413.detail');
  if (error.status === 415) return t(open311 ? 'open311.error.contentType' : 'api.problem.415.detail');
  return t(error.accepted.includes('json') ? 'api.problem.400.json' : 'open311.error.body');
}

/** Adds the headers every answer carries; HTML pages get a policy that names their inline code. */
async function withSecurityHeaders(response: Response, overHttps: boolean): Promise<Response> {
  let secured = response;
  if (!response.headers.has('Content-Security-Policy')) {
    if (response.headers.get('content-type')?.startsWith('text/html') && response.body) {
      // Pages are small; reading one whole is what lets its inline blocks be hashed.
      const html = await response.text();
      secured = new Response(html, response);
      secured.headers.set('Content-Security-Policy', pageContentSecurityPolicy(html));
    } else {
      secured.headers.set('Content-Security-Policy', API_CONTENT_SECURITY_POLICY);
    }
  }
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    if (!secured.headers.has(name)) secured.headers.set(name, value);
  }
  if (overHttps) secured.headers.set('Strict-Transport-Security', STRICT_TRANSPORT_SECURITY);
  return secured;
}

/**
 * The route Astro renders a request under when no page matches its path. Every language-prefixed
 * path is such a request: `/en/fraga` is a rewrite in this middleware, not a route.
 */
const ASTRO_NOT_FOUND_ROUTE = '/404';

/**
 * Writes the cookies a page or endpoint set as `Set-Cookie` headers. Astro's app renders a
 * request that matches no route through its error-page path, which returns before the cookies
 * are written: without this, `/en/handlaggning/logga-in` set no sign-in cookie and the right
 * password got 403 (issue 12, item 7), and the language switch under a prefix remembered nothing.
 * Called after the body was read whole, so nothing can set a cookie later.
 */
function withCookiesWritten(response: Response, cookies: AstroCookies): void {
  for (const header of cookies.headers()) response.headers.append('Set-Cookie', header);
}

/** The language a person chose earlier with the language switcher, if not Swedish. */
function rememberedLocale(cookie: string | undefined): Locale | undefined {
  return cookie !== undefined && cookie !== DEFAULT_LOCALE && isLocale(cookie) ? cookie : undefined;
}
