/**
 * "Was this page helpful?" without JavaScript: a yes or no is stored for the page and language
 * (status-link tokens taken out of the path), the page comes back asking for an optional
 * comment, and nothing else is kept.
 */
import { describe, expect, inject, it } from 'vitest';
import { postSubmission, rawRequest, sv, uniqueText, withDatabase } from './support';

const url = inject('url');

const post = (fields: Record<string, string>) =>
  rawRequest(`${url}/en/sidfeedback`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });

describe('was this page helpful', () => {
  it('is asked on every page, stores the answer and an optional comment, and returns to the page', async () => {
    const home = await rawRequest(`${url}/`);
    expect(home.text).toContain(sv['pageFeedback.question']);

    const created = await postSubmission(url, { type: 'question', message: uniqueText('Sidfeedback'), contact: null, language: 'en' });
    const statusPath = new URL(created.json().statusUrl).pathname;
    const answered = await post({ page: statusPath, helpful: 'no' });
    expect(answered.status).toBe(303);
    const location = String(answered.headers.location);
    expect(location).toMatch(new RegExp(`^${statusPath}\\?sidfeedback=[\\w-]{16}#sidfeedback$`));
    const token = /sidfeedback=([\w-]{16})/.exec(location)![1]!;

    const back = await rawRequest(`${url}${location.split('#')[0]}`);
    expect(back.text).toContain('Thank you for your answer!');
    expect(back.text).toContain(`name="token" value="${token}"`);
    const comment = uniqueText('The reply date was hard to find');
    const commented = await post({ page: statusPath, token, comment });
    expect(commented.headers.location).toBe(`${statusPath}?sidfeedback=tack#sidfeedback`);
    expect((await rawRequest(`${url}${statusPath}?sidfeedback=tack`)).text).toContain('Thank you! We read every comment.');
    // A second comment on the same answer is not taken.
    await post({ page: statusPath, token, comment: 'overwritten?' });

    const rows = await withDatabase((db) => db.query('SELECT page, language, helpful, comment FROM page_feedback WHERE token = ?', [token]));
    expect(rows).toEqual([{ page: '/en/arende/:token', language: 'en', helpful: 0, comment }]);
  });

  it('refuses to send anyone to another site', async () => {
    expect((await post({ page: '//evil.example/', helpful: 'yes' })).status).toBe(400);
    expect((await post({ page: 'https://evil.example/', helpful: 'yes' })).status).toBe(400);
  });
});
