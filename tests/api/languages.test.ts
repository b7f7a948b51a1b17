/**
 * The API speaks the client's language: problem texts follow Accept-Language, and an errand
 * sent in a language gets a status link in that language. The language switch remembers a
 * choice made from a page in any language.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { repositoryRoot } from '../helpers/server';
import { LOCALES, localizedPath } from '../../src/lib/locales';
import { LANGUAGE_COOKIE, LANGUAGE_SWITCH_PATH } from '../../src/lib/routes';
import { expectProblem, postSubmission, rawRequest, setCookies, submissionRow, uniqueText } from './support';

const url = inject('url');

function strings(locale: string): Record<string, string> {
  return JSON.parse(readFileSync(join(repositoryRoot, 'src/i18n', `${locale}.json`), 'utf8')) as Record<string, string>;
}

describe('languages in the API', () => {
  it('answers a validation error in the language the client accepts', async () => {
    const english = strings('en');
    const response = await postSubmission(url, { type: 'question', message: '' }, { 'Accept-Language': 'en-GB,en;q=0.9,sv;q=0.5' });
    const problem = expectProblem(response, 422, english['api.problem.422.title']);
    expect(problem.errors).toEqual([
      { pointer: '#/message', field: 'message', code: 'error.message.required', detail: english['error.message.required'] },
    ]);
  });

  it('prefers the language with the higher quality, and falls back to Swedish for one it does not have', async () => {
    const finnish = await postSubmission(url, { type: 'question', message: '' }, { 'Accept-Language': 'de;q=1, fi;q=0.8, en;q=0.5' });
    expectProblem(finnish, 422, strings('fi')['api.problem.422.title']);
    const unknown = await postSubmission(url, { type: 'question', message: '' }, { 'Accept-Language': 'de, fr' });
    expectProblem(unknown, 422, strings('sv')['api.problem.422.title']);
  });

  it('stores the language of the errand and gives a status link in it', async () => {
    const response = await postSubmission(url, { type: 'question', message: uniqueText('Somaliska'), contact: null, language: 'so' });
    expect(response.status, response.text).toBe(201);
    const receipt = response.json();
    expect(new URL(receipt.statusUrl).pathname).toMatch(/^\/so\/arende\/[\w-]+$/);
    expect((await submissionRow(receipt.reference))?.language).toBe('so');
  });

  it('keeps a person who posts on a status page in its language', async () => {
    const response = await postSubmission(url, { type: 'question', message: uniqueText('English'), contact: { email: 'en@example.se' }, language: 'en' });
    const statusPath = new URL(response.json().statusUrl).pathname;
    const posted = await rawRequest(`${url}${statusPath}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'action=rate&rating=4' });
    expect(posted.status).toBe(303);
    expect(posted.headers.location).toBe(statusPath);
  });

  it('refuses a language the portal does not offer', async () => {
    const problem = expectProblem(await postSubmission(url, { type: 'question', message: 'Hej', language: 'de' }), 422);
    expect(problem.errors.map((error: { field: string; code: string }) => [error.field, error.code])).toEqual([['language', 'error.language.invalid']]);
  });
});

describe('the language switch', () => {
  // Every prefixed path is a rewrite Astro renders under its 404 route, where it used to drop the cookies pages set (issue 12, item 7).
  it.each(LOCALES)('remembers the chosen language when used from a page in %s', async (from) => {
    const chosen = from === 'fi' ? 'uk' : 'fi';
    const switched = await rawRequest(`${url}${localizedPath(from, LANGUAGE_SWITCH_PATH)}?${new URLSearchParams({ till: chosen, sida: '/fraga' })}`);
    expect(switched.status).toBe(303);
    expect(switched.headers.location).toBe(localizedPath(chosen, '/fraga'));
    const cookie = setCookies(switched).find((line) => line.startsWith(`${LANGUAGE_COOKIE}=`));
    expect(cookie).toBe(`${LANGUAGE_COOKIE}=${chosen}; Max-Age=31536000; Path=/; HttpOnly; SameSite=Lax`);
    const home = await rawRequest(`${url}/`, { headers: { Cookie: String(cookie).split(';')[0]! } });
    expect(home.status).toBe(302);
    expect(home.headers.location).toBe(localizedPath(chosen, '/'));
  });
});

