/**
 * Keeps every HTML document the browser tests see, for the Nu Html Checker that runs over them
 * once Playwright is done (scripts/check-html.mjs, a step of `npm test`). Two sources write here:
 * the end-to-end server (scripts/e2e-server.mjs), with the exact bytes of each HTML response it
 * sends, and the axe helper (tests/helpers/axe.ts), with the page's DOM at each state it scans.
 * Plain JavaScript, because the end-to-end server runs under Node without TypeScript.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder the documents go to, emptied when the end-to-end server starts. */
export const htmlCaptureDirectory = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'test-results/html');

/** Content hashes written by this process: a page seen again with the same markup is checked once. */
const written = new Set();

/** Empties the capture folder, so a run checks only what it saw itself. */
export function clearHtmlCapture() {
  rmSync(htmlCaptureDirectory, { recursive: true, force: true });
  mkdirSync(htmlCaptureDirectory, { recursive: true });
}

/**
 * Saves one document as `<what it is>.<content hash>.html`, unless the same content was saved
 * already. `description` names the page and state (e.g. "served POST /fraga") so that a checker
 * message leads back to it.
 *
 * @param {string} html the whole document
 * @param {string} description where the document comes from
 */
export function saveHtml(html, description) {
  const hash = createHash('sha256').update(html).digest('hex').slice(0, 12);
  if (written.has(hash)) return;
  written.add(hash);
  const name = description.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, 100) || 'page';
  mkdirSync(htmlCaptureDirectory, { recursive: true });
  writeFileSync(join(htmlCaptureDirectory, `${name}.${hash}.html`), html);
}
