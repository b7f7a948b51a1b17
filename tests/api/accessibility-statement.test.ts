/**
 * The accessibility statement: linked from every page's footer, in Digg's structure, and its
 * way to report a problem opens our own feedback form with the accessibility unit chosen.
 */
import { describe, expect, inject, it } from 'vitest';
import { rawRequest, sv } from './support';

const url = inject('url');

describe('the accessibility statement', () => {
  it('is linked from the footer of every page', async () => {
    for (const path of ['/', '/fraga', '/kontakt', '/en/personuppgifter']) {
      const page = await rawRequest(`${url}${path}`);
      const href = path.startsWith('/en/') ? '/en/tillganglighet' : '/tillganglighet';
      expect(page.text, path).toContain(`<a href="${href}">`);
    }
  });

  it('follows Digg’s model and leads to the feedback form with the accessibility unit chosen', async () => {
    const page = await rawRequest(`${url}/tillganglighet`);
    expect(page.status).toBe(200);
    for (const key of ['a11y.howAccessible.heading', 'a11y.alternative.heading', 'a11y.report.heading', 'a11y.supervision.heading', 'a11y.technical.heading', 'a11y.shortcomings.heading', 'a11y.testing.heading']) {
      expect(page.text, key).toContain(`<h${key === 'a11y.shortcomings.heading' ? 3 : 2}>${sv[key]}</h`);
    }
    expect(page.text).toContain('href="https://www.digg.se/tdosanmalan"');
    const report = /<a href="(\/synpunkt\?unit=[^"]+)">/.exec(page.text)?.[1];
    expect(report).toBe('/synpunkt?unit=tillganglighet');
    const form = await rawRequest(`${url}${report}`);
    expect(form.text).toMatch(/<option value="tillganglighet" selected(="")?>Digital tillgänglighet<\/option>/);
    // Any other value is ignored, not shown.
    expect((await rawRequest(`${url}/synpunkt?unit=finns-inte`)).text).not.toContain('finns-inte');
  });
});
