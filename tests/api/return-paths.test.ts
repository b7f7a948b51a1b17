/**
 * No route is an open redirect (issue 12, item 6): every known bypass sent to every route that
 * takes a return path from the request (page feedback's `page`, the language switch's `sida`,
 * staff sign-in's `till`, before and after signing in) in Swedish and English, and each answer's
 * Location, resolved as a browser resolves it, stays on the portal's origin. What follows a
 * language prefix is such a path too.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { expectSameOrigin, OPEN_REDIRECT_PAYLOADS } from '../helpers/open-redirect';
import { addStaffUser } from '../helpers/staff';
import { rawRequest, StaffBrowser } from './support';

const url = inject('url');
const STAFF = { email: 'omdirigering@varmdo.se', name: 'Olle Omdirigering', role: 'caseworker', units: ['kontaktcenter'] };
const PREFIXES = ['', '/en'];

beforeAll(() => {
  addStaffUser(inject('databaseUrl'), STAFF);
});

const form = (path: string, fields: Record<string, string>) =>
  rawRequest(`${url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });

describe.each(PREFIXES)('return paths under "%s"', (prefix) => {
  it('page feedback refuses every path that leads elsewhere, and returns to one of its own in a valid Location', async () => {
    for (const payload of OPEN_REDIRECT_PAYLOADS) {
      const answer = await form(`${prefix}/sidfeedback`, { page: payload, helpful: 'yes' });
      expect(answer.status, JSON.stringify(payload)).toBe(400);
      expect(answer.headers.location, JSON.stringify(payload)).toBeUndefined();
    }
    const own = await form(`${prefix}/sidfeedback`, { page: '/svar/ärende', helpful: 'yes' });
    expect(own.status).toBe(303);
    expect(own.headers.location).toMatch(/^\/svar\/%C3%A4rende\?sidfeedback=[\w-]{16}#sidfeedback$/);
  });

  it('the language switch remembers the language and goes to its start page instead', async () => {
    for (const payload of OPEN_REDIRECT_PAYLOADS) {
      const answer = await rawRequest(`${url}${prefix}/sprak?${new URLSearchParams({ till: 'fi', sida: payload })}`);
      expect(answer.status, JSON.stringify(payload)).toBe(303);
      expectSameOrigin(answer.headers.location, url, payload);
      expect(answer.headers.location).toBe('/fi/');
    }
  });

  it('staff sign-in goes to the inbox instead, both when signing in and when already signed in', { timeout: 60_000 }, async () => {
    const home = `${prefix}/handlaggning`;
    const signedIn = new StaffBrowser(url);
    await signedIn.signIn(STAFF.email, undefined, prefix);
    for (const payload of OPEN_REDIRECT_PAYLOADS) {
      const browser = new StaffBrowser(url);
      const answer = await browser.signIn(STAFF.email, undefined, prefix, payload);
      expect(answer.status, JSON.stringify(payload)).toBe(303);
      expectSameOrigin(answer.headers.location, url, payload);
      expect(answer.headers.location).toBe(home);

      const again = await signedIn.request(`${prefix}/handlaggning/logga-in?${new URLSearchParams({ till: payload })}`);
      expect(again.status, JSON.stringify(payload)).toBe(303);
      expectSameOrigin(again.headers.location, url, payload);
      expect(again.headers.location).toBe(home);
    }
  });
});

describe('a language prefix', () => {
  it.each(['/en//evil.example/fraga', '/en/%5Cevil.example/fraga', '/fi/%2F/evil.example/', '/uk/%252F%252Fevil.example'])(
    'followed by a path that would lead elsewhere, %s, is not found rather than a page of another origin',
    async (path) => {
      expect((await rawRequest(`${url}${path}`)).status).toBe(404);
    },
  );
});

