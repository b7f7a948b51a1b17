/**
 * The byte budgets, as a phone on a prepaid plan pays them: each page's HTML (CSS inlined) and
 * the JavaScript it loads before anyone touches it (module scripts and islands, followed through
 * their static imports; chunks imported on use are not counted), in gzip bytes as the server
 * sends them.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, inject, it } from 'vitest';
import { LOCALES, localizedPath, type Locale } from '../../src/lib/locales';
import { ERRAND_SLUGS } from '../../src/lib/routes';

const url = inject('url');
const budgets = JSON.parse(readFileSync(join(import.meta.dirname, '../../budgets.json'), 'utf8')) as Record<string, number>;

/** The bytes on the wire of one GET, asking for gzip as browsers do, and the decoded text. */
function getGzipped(path: string): Promise<{ wireBytes: number; text: string; encoding: string | undefined }> {
  return new Promise((resolve, reject) => {
    const sent = request(`${url}${path}`, { headers: { 'Accept-Encoding': 'gzip' } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const raw = Buffer.concat(chunks);
        const encoding = response.headers['content-encoding'];
        resolve({ wireBytes: raw.length, text: (encoding === 'gzip' ? gunzipSync(raw) : raw).toString('utf8'), encoding });
      });
      response.on('error', reject);
    });
    sent.on('error', reject);
    sent.end();
  });
}

/** The page and every script it loads at once: their bytes on the wire. */
async function pageCost(path: string): Promise<{ html: number; scripts: number; scriptCount: number }> {
  const page = await getGzipped(path);
  expect(page.encoding, `${path} is sent compressed`).toBe('gzip');
  const pending = [...page.text.matchAll(/(?:src|component-url|renderer-url)="(\/_astro\/[^"]+\.js)"/g)].map((match) => match[1] ?? '');
  const seen = new Set<string>();
  let scripts = 0;
  while (pending.length > 0) {
    const script = pending.pop() ?? '';
    if (seen.has(script)) continue;
    seen.add(script);
    const loaded = await getGzipped(script);
    scripts += loaded.wireBytes;
    for (const [, specifier] of loaded.text.matchAll(/(?:from|import)\s*["'](\.\/[^"']+\.js)["']/g)) pending.push(`/_astro/${(specifier ?? '').slice(2)}`);
  }
  return { html: page.wireBytes, scripts, scriptCount: seen.size };
}

const MEASURED_LOCALES: readonly Locale[] = LOCALES.filter((locale) => ['sv', 'ar', 'lattlast'].includes(locale));
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

describe('page budgets (gzip, as sent)', () => {
  it.each(MEASURED_LOCALES)('%s: the start page stays within its budget', async (locale) => {
    const path = localizedPath(locale, '/');
    const cost = await pageCost(path);
    console.log(`${path}: ${kb(cost.html + cost.scripts)} in all (budget ${kb(budgets['startPageTotal'] ?? 0)})`);
    expect(cost.html + cost.scripts).toBeLessThanOrEqual(budgets['startPageTotal'] ?? 0);
  });

  it.each(MEASURED_LOCALES.flatMap((locale) => Object.values(ERRAND_SLUGS).map((slug) => localizedPath(locale, `/${slug}`))))(
    '%s: the form page and the script it loads before use stay within their budgets',
    async (path) => {
      const cost = await pageCost(path);
      console.log(
        `${path}: ${kb(cost.html + cost.scripts)} in all (budget ${kb(budgets['formPageTotal'] ?? 0)}), script before use ${kb(cost.scripts)} in ${cost.scriptCount} files (budget ${kb(budgets['formPageInitialScript'] ?? 0)})`,
      );
      expect(cost.scriptCount, 'the form island is loaded').toBeGreaterThan(1);
      expect(cost.html + cost.scripts).toBeLessThanOrEqual(budgets['formPageTotal'] ?? 0);
      expect(cost.scripts).toBeLessThanOrEqual(budgets['formPageInitialScript'] ?? 0);
    },
  );
});
