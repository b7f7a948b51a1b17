/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    services: import('./server/services').Services;
    locale: import('./lib/locales').Locale;
    t: import('./lib/i18n').Translate;
    dir: 'ltr' | 'rtl';
    /** A path in the request's language variant: `/fraga` → `/en/fraga`. */
    localePath: (path: string) => string;
    /** Set when a form post is over the rate limit: the form comes back asking to wait this long. */
    retryAfterSeconds?: number;
  }
}
