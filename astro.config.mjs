// @ts-check
import { defineConfig } from 'astro/config';
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import node from '@astrojs/node';
import preact from '@astrojs/preact';

/**
 * Hosts Astro trusts to build request URLs from, fixed at build time. The public address of a
 * deployment is set at run time instead, with PUBLIC_URL (src/server/http.ts: publicOrigin).
 */
const allowedDomains = [{ hostname: 'localhost' }, { hostname: '127.0.0.1' }];

/**
 * A build-time change to one of Astro's own modules: in the module whose path matches `module`,
 * `from` is replaced by `to`. Fails the build when an Astro upgrade changes that code, rather than
 * letting the behaviour the change removed come back unnoticed.
 *
 * @param {{ name: string, module: RegExp, from: string, to: string }} patch
 * @returns {import('vite').Plugin}
 */
function patchAstroModule({ name, module, from, to }) {
  return {
    name: `en-vag-in:${name}`,
    enforce: 'pre',
    /** @param {string} code @param {string} id */
    transform(code, id) {
      if (!module.test(id)) return undefined;
      if (!code.includes(from)) throw new Error(`${name}: ${id} no longer has the code this patch changes; see astro.config.mjs`);
      return { code: code.replace(from, to), map: null };
    },
  };
}

/** Where Astro writes the `<style>` it puts before a page's first island. */
const ISLAND_PRESCRIPTS_MODULE = /\/astro\/dist\/runtime\/server\/scripts\.js$/;
const ISLAND_STYLE_ELEMENT = '<style>${ISLAND_STYLES}</style>';

/**
 * Astro writes `<style>astro-island,…{display:contents}</style>` into `<body>`, just before a
 * page's first island, and HTML allows `<style>` only in `<head>` (the Nu Html Checker fails every
 * form page on it, issue 12). Astro has no option for this, so the element is left out of Astro's
 * server runtime at build time and the same rule sits in src/styles/global.css, which every
 * layout puts in `<head>`.
 *
 * @returns {import('vite').Plugin}
 */
function islandStylesInHead() {
  return patchAstroModule({ name: 'island-styles-in-head', module: ISLAND_PRESCRIPTS_MODULE, from: ISLAND_STYLE_ELEMENT, to: '' });
}

/** Where Astro's Node adapter writes a response's body to the socket. */
const NODE_APP_MODULE = /\/astro\/dist\/core\/app\/node\.js$/;
const UNPACED_WRITE = `      while (!result.done) {
        destination.write(result.value);
        result = await reader.read();
      }`;
const PACED_WRITE = `      while (!result.done) {
        if (!destination.write(result.value) && !destination.destroyed) {
          await new Promise((resolve) => {
            const go = () => {
              destination.off("close", go);
              resolve();
            };
            destination.once("drain", go);
            destination.once("close", go);
          });
        }
        result = await reader.read();
      }`;

/**
 * Astro's Node adapter writes a streamed body as fast as it is produced, without waiting for the
 * socket to drain: a client that downloads an export slowly would leave all of it buffered in
 * the server (issue 13 measured 2 GB for a million errands). This makes it wait for 'drain'
 * whenever the socket is full, so the body is pulled only as fast as the client reads — the
 * streams of src/server/csv.ts then read the database at the client's pace.
 *
 * @returns {import('vite').Plugin}
 */
function responseBackpressure() {
  return patchAstroModule({ name: 'response-backpressure', module: NODE_APP_MODULE, from: UNPACED_WRITE, to: PACED_WRITE });
}

const SQLITE_READER = fileURLToPath(new URL('./src/server/storage/sqlite-reader.ts', import.meta.url));
const SQLITE_READER_WORKER = fileURLToPath(new URL('./src/server/storage/sqlite-reader-worker.mjs', import.meta.url));

/**
 * The SQLite reader starts its worker from the file next to itself
 * (`new URL('./sqlite-reader-worker.mjs', import.meta.url)`, which Vite leaves alone on the
 * server), so the worker is copied, as it is, next to the chunk the reader was bundled into.
 *
 * @returns {import('vite').Plugin}
 */
function sqliteReaderWorker() {
  return {
    name: 'en-vag-in:sqlite-reader-worker',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk' || !chunk.moduleIds.includes(SQLITE_READER)) continue;
        this.emitFile({ type: 'asset', fileName: posix.join(posix.dirname(chunk.fileName), 'sqlite-reader-worker.mjs'), source: readFileSync(SQLITE_READER_WORKER, 'utf8') });
      }
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
  vite: { plugins: [islandStylesInHead(), responseBackpressure(), sqliteReaderWorker()] },
});
