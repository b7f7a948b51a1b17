/**
 * Runs before every page and endpoint: works out the request's language variant from its path
 * prefix (`/en/fraga` is the page `/fraga` in English), hands over the process's services and
 * translation, refuses cross-site posts, and sets the security headers every response carries.
 */
import { defineMiddleware } from 'astro:middleware';
import { createTranslate } from './lib/i18n';
import { DEFAULT_LOCALE, directionOf, isLocale, localizedPath, negotiateLocale, splitLocalePath, type Locale } from './lib/locales';
import { LANGUAGE_COOKIE } from './lib/routes';
import { publicOrigin, statusProblem } from './server/http';
import { services } from './server/services';

const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'X-Frame-Options': 'DENY',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(self), payment=()',
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Browsers send Origin with every cross-site request that changes state; a foreign one is
 * refused so other sites cannot post in a visitor's name. API clients that send no Origin
 * are not browsers and are let through.
 */
function isForeignOrigin(request: Request, ownOrigin: string): boolean {
  const origin = request.headers.get('origin');
  return !SAFE_METHODS.has(request.method) && origin !== null && origin !== ownOrigin;
}

/** The API and health check have no language in their path: they answer in the one asked for. */
function isMachineRoute(pathname: string): boolean {
  return pathname.startsWith('/api/') || pathname === '/healthz';
}

export const onRequest = defineMiddleware(async (context, next) => {
  const { pathname, search } = context.url;
  const { locale, path } = isMachineRoute(pathname)
    ? { locale: negotiateLocale(context.request.headers.get('accept-language')), path: pathname }
    : splitLocalePath(pathname);
  const t = createTranslate(locale);
  context.locals.services = services;
  context.locals.locale = locale;
  context.locals.t = t;
  context.locals.dir = directionOf(locale);
  context.locals.localePath = (target) => localizedPath(locale, target);

  // Someone who chose another language and lands on the Swedish start page is taken to theirs.
  const remembered = pathname === '/' && context.request.method === 'GET' ? rememberedLocale(context.cookies.get(LANGUAGE_COOKIE)?.value) : undefined;
  let response: Response;
  if (isForeignOrigin(context.request, publicOrigin(context.url))) {
    response = statusProblem(t, 403, 'api.problem.403.origin');
  } else if (remembered) {
    response = context.redirect(localizedPath(remembered, '/'), 302);
  } else {
    // Every variant is served by the same pages: the prefix is taken off and the page renders in `locale`.
    response = path === pathname ? await next() : await next(`${path}${search}`);
  }
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    if (!response.headers.has(name)) response.headers.set(name, value);
  }
  return response;
});

/** The language a person chose earlier with the language switcher, if not Swedish. */
function rememberedLocale(cookie: string | undefined): Locale | undefined {
  return cookie !== undefined && cookie !== DEFAULT_LOCALE && isLocale(cookie) ? cookie : undefined;
}
