import type { APIRoute } from 'astro';
import { directionOf, languageTag } from '../lib/locales';

/** The web app manifest, in the language of the path it is fetched under (`/en/manifest.webmanifest`). */
export const GET: APIRoute = ({ locals }) => {
  const { t, locale, localePath, services } = locals;
  const manifest = {
    id: '/',
    name: `${t('site.name')} – ${services.config.name}`,
    short_name: t('site.name'),
    description: t('home.intro', { municipality: services.config.name }),
    lang: languageTag(locale),
    dir: directionOf(locale),
    start_url: localePath('/'),
    scope: '/',
    display: 'standalone',
    theme_color: '#00527a',
    background_color: '#ffffff',
    icons: [
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
  };
  return new Response(JSON.stringify(manifest), {
    headers: { 'Content-Type': 'application/manifest+json; charset=utf-8', 'Cache-Control': 'public, max-age=3600' },
  });
};
