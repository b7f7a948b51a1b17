/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    services: import('./server/services').Services;
    locale: import('./lib/locales').Locale;
    t: import('./lib/i18n').Translate;
    dir: 'ltr' | 'rtl';
    /** A path in the request's language variant: `/fraga` → `/en/fraga`. */
    localePath: (path: string) => string;
    /** Whether the request reached us over HTTPS (cookies are then Secure). */
    overHttps: boolean;
    /** The signed-in staff member's session, on staff pages. */
    staff?: import('./server/storage/cases').StaffSession | undefined;
    /** Set when a form post is over the rate limit: the form comes back asking to wait this long. */
    retryAfterSeconds?: number;
    /** What the one body reader read of this request (src/server/http.ts), so nothing reads the body twice. */
    requestBody?: import('./server/http').RequestBody;
    /** Set when the body reader refused the body: the page that says so answers with its status. */
    bodyRejection?: import('./server/http').BodyRejectedError;
    /** On the outage page: the form post that could not be handled, to offer again with everything typed. */
    keptPost?: import('./server/http').KeptPost | undefined;
  }
}
