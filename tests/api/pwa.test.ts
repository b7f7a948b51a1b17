/** What an installer asks of the app: a manifest in the page's language, icons in the sizes named, a service worker. */
import sharp from 'sharp';
import { describe, expect, inject, it } from 'vitest';
import { LOCALES, directionOf, languageTag } from '../../src/lib/locales';

const url = inject('url');

interface Manifest {
  name: string;
  short_name: string;
  lang: string;
  dir: string;
  start_url: string;
  scope: string;
  display: string;
  theme_color: string;
  icons: { src: string; sizes: string; type: string; purpose: string }[];
}

describe('the web app manifest', () => {
  it('is served in each language, with its own start page', async () => {
    const swedish = await fetch(`${url}/manifest.webmanifest`);
    expect(swedish.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
    const sv = (await swedish.json()) as Manifest;
    expect(sv).toMatchObject({ lang: 'sv', dir: 'ltr', start_url: '/', scope: '/', display: 'standalone', short_name: 'En väg in' });
    expect(sv.name).toBe('En väg in – Värmdö kommun');

    for (const locale of LOCALES.filter((candidate) => candidate !== 'sv')) {
      const manifest = (await (await fetch(`${url}/${locale}/manifest.webmanifest`)).json()) as Manifest;
      expect(manifest).toMatchObject({ lang: languageTag(locale), dir: directionOf(locale), start_url: `/${locale}/` });
    }
  });

  it('names icons that exist in the sizes it states, a maskable one among them', async () => {
    const manifest = (await (await fetch(`${url}/manifest.webmanifest`)).json()) as Manifest;
    expect(manifest.icons.some((icon) => icon.purpose === 'maskable')).toBe(true);
    for (const icon of manifest.icons) {
      const response = await fetch(`${url}${icon.src}`);
      expect(response.status, icon.src).toBe(200);
      const { width, height, format } = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
      expect(`${width}x${height}`).toBe(icon.sizes);
      expect(format).toBe('png');
    }
  });

  it('has a service worker at the root scope', async () => {
    const response = await fetch(`${url}/sw.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(await response.text()).toContain('_astro/');
  });
});
