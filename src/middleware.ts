/**
 * Runs before every page and endpoint: hands over the process's services and the request's
 * language, and sets the security headers every response carries.
 */
import { defineMiddleware } from 'astro:middleware';
import { createTranslate, directionOf } from './lib/i18n';
import { DEFAULT_LOCALE } from './lib/locales';
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

export const onRequest = defineMiddleware(async (context, next) => {
  const locale = DEFAULT_LOCALE;
  const t = createTranslate(locale);
  context.locals.services = services;
  context.locals.locale = locale;
  context.locals.t = t;
  context.locals.dir = directionOf(locale);
  const response = isForeignOrigin(context.request, publicOrigin(context.url))
    ? statusProblem(t, 403, 'api.problem.403.origin')
    : await next();
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    if (!response.headers.has(name)) response.headers.set(name, value);
  }
  return response;
});
