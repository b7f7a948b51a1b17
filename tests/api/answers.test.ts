/**
 * `GET /api/v1/answers`: what the question form asks while a person writes.
 */
import { describe, expect, inject, it } from 'vitest';
import { rawRequest } from './support';

const url = inject('url');

describe('GET /api/v1/answers', () => {
  it('returns the best-matching answers in the reader’s language, with links that keep the text', async () => {
    const response = await rawRequest(`${url}/api/v1/answers?q=${encodeURIComponent('Hur lång tid tar bygglovet?')}`, { headers: { 'Accept-Language': 'sv' } });
    expect(response.status).toBe(200);
    const { answers } = response.json();
    expect(answers[0]).toEqual({
      id: 'bygglov-handlaggningstid',
      question: 'Hur lång tid tar det att få bygglov?',
      language: 'sv',
      url: `/svar/bygglov-handlaggningstid?fraga=${encodeURIComponent('Hur lång tid tar bygglovet?')}`,
    });
  });

  it('falls back to English for a language without its own answers, and says so', async () => {
    const response = await rawRequest(`${url}/api/v1/answers?q=${encodeURIComponent('library opening hours')}`, { headers: { 'Accept-Language': 'so' } });
    expect(response.headers['content-language']).toBe('en');
    expect(response.json().answers[0]).toMatchObject({ id: 'bibliotek-oppettider', language: 'en', url: expect.stringMatching(/^\/so\/svar\/bibliotek-oppettider\?/) });
  });

  it('returns nothing for text that matches no answer', async () => {
    expect((await rawRequest(`${url}/api/v1/answers?q=${encodeURIComponent('Vem äger bryggan vid Ingarö?')}`)).json()).toEqual({ answers: [] });
  });
});
