/**
 * The security headers every response carries, and the Content-Security-Policy of HTML pages.
 * Astro inlines small scripts and styles into pages (island bootstrap, our own small modules),
 * so instead of allowing inline code the policy names each inline block by its SHA-256.
 */
import { createHash } from 'node:crypto';

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'X-Frame-Options': 'DENY',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(self), payment=()',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/** Sent only over HTTPS (browsers ignore it over HTTP, and it must not pin a plain-HTTP test host). */
export const STRICT_TRANSPORT_SECURITY = 'max-age=63072000; includeSubDomains';

/** Non-HTML answers (JSON, photos, the manifest) never run code: nothing at all is allowed. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

function sha256Sources(html: string, element: 'script' | 'style'): string[] {
  const pattern = new RegExp(`<${element}(\\s[^>]*)?>([\\s\\S]*?)</${element}>`, 'gi');
  const sources = new Set<string>();
  for (const match of html.matchAll(pattern)) {
    const attributes = match[1] ?? '';
    const body = match[2] ?? '';
    if (element === 'script' && /\bsrc\s*=/i.test(attributes)) continue;
    if (body.length === 0) continue;
    sources.add(`'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);
  }
  return [...sources];
}

/** The policy of one HTML page: its own inline scripts and styles by hash, everything else same-origin. */
export function pageContentSecurityPolicy(html: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' ${sha256Sources(html, 'script').join(' ')}`.trim(),
    `style-src 'self' ${sha256Sources(html, 'style').join(' ')}`.trim(),
    // Photos chosen in the form are previewed from blob: URLs before they are sent.
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
