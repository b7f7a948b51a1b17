/**
 * Return paths an attacker sends to turn a "take me back" parameter into a link to another site
 * (after OWASP's Unvalidated Redirects and Forwards Cheat Sheet and the usual bypass lists),
 * shared by the unit test of the one helper and the API test of every route that redirects.
 */
import { expect } from 'vitest';

/** Each would lead a browser, or a server that decodes once more, off the portal. */
export const OPEN_REDIRECT_PAYLOADS: readonly string[] = [
  '//evil.example',
  '///evil.example',
  '////evil.example/x',
  '/\\evil.example',
  '\\/evil.example',
  '\\\\evil.example',
  '/\\/evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r/evil.example',
  '\t//evil.example',
  ' //evil.example',
  '/\u0000/evil.example',
  '/\u007f/evil.example',
  '/%09/evil.example',
  '/%0a/evil.example',
  '/%0d%0aSet-Cookie:%20a=b',
  '/%2F/evil.example',
  '/%2f%2fevil.example',
  '%2F%2Fevil.example',
  '/%5Cevil.example',
  '/%5cevil.example',
  '/%252F/evil.example',
  '/%25252F%25252Fevil.example',
  '/%E0%A4%A',
  'https:evil.example',
  'http:evil.example',
  'https://evil.example/',
  'http:/\\/evil.example',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'evil.example',
  '.evil.example',
  '@evil.example',
  '',
];

/** Return paths that stay on the portal and are kept. */
export const SAFE_RETURN_PATHS: readonly string[] = ['/', '/fraga', '/en/felanmalan?kategori=gatubelysning#karta', '/.evil.example', '/@evil.example', '/svar?q=a%20b'];

/** Fails unless `location` (a Location header), resolved as a browser would, stays on `origin`. */
export function expectSameOrigin(location: string | string[] | undefined, origin: string, payload: string): void {
  expect(typeof location, `a Location for ${JSON.stringify(payload)}`).toBe('string');
  expect(new URL(String(location), origin).origin, `Location ${JSON.stringify(location)} for ${JSON.stringify(payload)}`).toBe(new URL(origin).origin);
}
