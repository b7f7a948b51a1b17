// Bytes shipped: what each page costs a phone on a slow connection, gzip, with the HTML (CSS
// inlined) and the JavaScript it loads followed through its imports; and the precache.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** The budgets of budgets.json, which tests/api/page-budgets.test.ts enforces. */
const budgets = JSON.parse(readFileSync(new URL('../../budgets.json', import.meta.url), 'utf8'));
const PAGES = [
  { path: '/', budget: budgets.startPageTotal },
  ...['/fraga', '/synpunkt', '/felanmalan', '/e-forslag'].map((path) => ({ path, budget: budgets.formPageTotal, scriptBudget: budgets.formPageInitialScript })),
];

const gzipSize = (bytes) => gzipSync(bytes, { level: 9 }).length;

/** The built JavaScript files a page loads: module scripts and islands, with everything they import. */
function scriptsOf(html, client) {
  const entries = [...html.matchAll(/(?:src|component-url|renderer-url)="(\/_astro\/[^"]+\.js)"/g)].map((match) => match[1]);
  const seen = new Set();
  const visit = (url) => {
    if (seen.has(url)) return;
    seen.add(url);
    const code = readFileSync(join(client, url), 'utf8');
    for (const [, specifier] of code.matchAll(/(?:from|import)\s*["'](\.\/[^"']+\.js)["']/g)) visit(`/_astro/${specifier.slice(2)}`);
  };
  entries.forEach(visit);
  return [...seen];
}

export async function measureSizes(baseUrl, client) {
  const rows = [];
  for (const { path, budget, scriptBudget } of PAGES) {
    const html = await (await fetch(`${baseUrl}${path}`)).text();
    const scripts = scriptsOf(html, client);
    const htmlBytes = gzipSize(Buffer.from(html));
    const jsBytes = scripts.reduce((sum, url) => sum + gzipSize(readFileSync(join(client, url))), 0);
    rows.push({ page: path, htmlGzip: htmlBytes, jsGzip: jsBytes, totalGzip: htmlBytes + jsBytes, budget, scriptBudget, scripts: scripts.length });
  }
  return rows;
}

export function precacheSize(client) {
  const sw = readFileSync(join(client, 'sw.js'), 'utf8');
  const urls = [...sw.matchAll(/"url":"([^"]+)"/g)].map((match) => match[1]);
  const bytes = urls.reduce((sum, url) => sum + readFileSync(join(client, url)).length, 0);
  return { files: urls.length, bytes, gzip: urls.reduce((sum, url) => sum + gzipSize(readFileSync(join(client, url))), 0) };
}

