// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import preact from '@astrojs/preact';

/**
 * Hosts Astro trusts to build request URLs from, fixed at build time. The public address of a
 * deployment is set at run time instead, with PUBLIC_URL (src/server/http.ts: publicOrigin).
 */
const allowedDomains = [{ hostname: 'localhost' }, { hostname: '127.0.0.1' }];

/** Where Astro writes the `<style>` it puts before a page's first island. */
const ISLAND_PRESCRIPTS_MODULE = /\/astro\/dist\/runtime\/server\/scripts\.js$/;
const ISLAND_STYLE_ELEMENT = '<style>${ISLAND_STYLES}</style>';

/**
 * Astro writes `<style>astro-island,…{display:contents}</style>` into `<body>`, just before a
 * page's first island, and HTML allows `<style>` only in `<head>` (the Nu Html Checker fails every
 * form page on it, issue 12). Astro has no option for this, so the element is left out of Astro's
 * server runtime at build time and the same rule sits in src/styles/global.css, which every
 * layout puts in `<head>`. Fails the build when an Astro upgrade changes that code, rather than
 * letting the element come back unnoticed.
 *
 * @returns {import('vite').Plugin}
 */
function islandStylesInHead() {
  return {
    name: 'en-vag-in:island-styles-in-head',
    enforce: 'pre',
    /** @param {string} code @param {string} id */
    transform(code, id) {
      if (!ISLAND_PRESCRIPTS_MODULE.test(id)) return undefined;
      if (!code.includes(ISLAND_STYLE_ELEMENT)) {
        throw new Error(`island-styles-in-head: ${id} no longer writes ${ISLAND_STYLE_ELEMENT}; see astro.config.mjs`);
      }
      return { code: code.replace(ISLAND_STYLE_ELEMENT, ''), map: null };
    },
  };
}

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  integrations: [preact()],
  // Astro's own origin check answers 403 in plain text and also refuses API clients that send
  // no Origin; src/middleware.ts checks Origin itself and answers problem+json.
  security: { checkOrigin: false, allowedDomains },
  build: { inlineStylesheets: 'always' },
  server: { port: Number(process.env.PORT ?? 4321), host: process.env.HOST ?? 'localhost' },
  devToolbar: { enabled: false },
  vite: { plugins: [islandStylesInHead()] },
});
