/**
 * What a first-time resident finds at the top of the start page, in every language: the way to
 * follow an errand, the common answers, the reported faults, the published proposals and the
 * opening hours, with whether the phone is open now; and, on the start page and the fault form,
 * the municipality's on-call number for urgent faults, and that the promised answer is not the repair.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { LOCALES, localizedPath, type Locale } from '../../src/lib/locales';
import { repositoryRoot, startServer } from '../helpers/server';
import { configPath, rawRequest, readConfig } from './support';

const url = inject('url');
const database = inject('databaseKind');

const texts = (locale: Locale) => JSON.parse(readFileSync(join(repositoryRoot, 'src/i18n', `${locale}.json`), 'utf8')) as Record<string, string>;
/** A text as the page writes it (Astro escapes these characters). */
const shown = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

interface OnCall {
  phone: string;
  name: Record<string, string>;
}
const onCall = readConfig()['onCall'] as OnCall;
/** The line of the on-call box with the number. */
const onCallLine = (html: string) => /<div class="on-call">.*?(<p><span[^>]*>.*?<\/p>)/s.exec(html)?.[1];

describe.each(LOCALES)('the start page in %s', (locale) => {
  const t = texts(locale);

  it('leads to following an errand, the answers, the reported faults, the proposals and the opening hours before the first errand', async () => {
    const page = await rawRequest(`${url}${localizedPath(locale, '/')}`);
    expect(page.status).toBe(200);
    const top = page.text.slice(0, page.text.indexOf('<ul class="errands">'));
    const quickLinks = top.slice(top.indexOf('<nav class="quick-links"'));
    const links = [...quickLinks.matchAll(/<a href="([^"]+)"[^>]*>([^<]+)<\/a>/g)].map(([, href, text]) => [href, text]);
    expect(links.slice(0, 5)).toEqual([
      [localizedPath(locale, '/folj-arende'), shown(t['follow.title']!)],
      [localizedPath(locale, '/svar'), shown(t['home.quickLinks.answers']!)],
      [localizedPath(locale, '/felanmalan/rapporterade'), shown(t['home.quickLinks.faults']!)],
      [localizedPath(locale, '/e-forslag/publicerade'), shown(t['home.quickLinks.proposals']!)],
      [localizedPath(locale, '/kontakt'), shown(t['home.quickLinks.contact']!)],
    ]);
    // The phone line's number and whether it is open now, as the contact page says it; so the page is never reused later.
    const status = /<p class="quick-links__status">[^<]*<a href="tel:0857047000" dir="ltr">08-570 470 00<\/a>: ([^<]+)<\/p>/.exec(quickLinks)?.[1];
    const open = t['contact.openNow']!.split('{{')[0]!;
    const closed = t['contact.closedNow']!.split('{{')[0]!;
    expect([open, closed].some((start) => status?.startsWith(shown(start))), `status line: ${status}`).toBe(true);
    expect(page.headers['cache-control']).toBe('no-cache');
  });

  it('gives the on-call number for urgent faults on the start page and the fault form, and says the answer is not the repair', async () => {
    for (const path of ['/', '/felanmalan']) {
      const page = await rawRequest(`${url}${localizedPath(locale, path)}`);
      expect(onCallLine(page.text)).toBe(`<p><span>${shown(onCall.name[locale]!)}</span>: <a href="tel:0857047050" dir="ltr">08-570 470 50</a></p>`);
      expect(page.text).toContain(shown(t['onCall.text']!));
      expect(page.text).toContain(shown(t['home.faultReplyNote']!));
    }
  });
});

describe('the on-call number', () => {
  it('is the municipality’s own, from its configuration', { timeout: 60_000 }, async () => {
    const directory = mkdtempSync(join(tmpdir(), 'en-vag-in-on-call-'));
    const config = JSON.parse(readFileSync(configPath, 'utf8'));
    config.onCall = { phone: '+46 8 123 456 78', name: { sv: 'Jourtelefon' } };
    writeFileSync(join(directory, 'config.json'), JSON.stringify(config));
    const server = await startServer({ database, env: { MUNICIPALITY_CONFIG: join(directory, 'config.json') } });
    try {
      const swedish = await rawRequest(`${server.url}/felanmalan`);
      expect(onCallLine(swedish.text)).toBe('<p><span>Jourtelefon</span>: <a href="tel:+46812345678" dir="ltr">+46 8 123 456 78</a></p>');
      // Named only in Swedish: inside another language the name is marked Swedish.
      const english = await rawRequest(`${server.url}/en/`);
      expect(onCallLine(english.text)).toBe('<p><span lang="sv">Jourtelefon</span>: <a href="tel:+46812345678" dir="ltr">+46 8 123 456 78</a></p>');
    } finally {
      await server.stop();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
