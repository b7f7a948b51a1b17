// `npm run bench`: measures what the portal costs on this machine and prints each figure next
// to its baseline from the same run, then writes them all to bench-results/bench.json.
// Sizes: the bytes (gzip) each page ships — HTML with its inlined CSS, and the JavaScript it
// loads, followed through its imports — next to the budgets, and the service worker's precache.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const client = join(root, 'dist/client');

/** Budgets from the project's targets: the start page under 30 KB gzip in all, a form page under 50 KB. */
const PAGES = [
  { path: '/', budget: 30 * 1024 },
  { path: '/fraga', budget: 50 * 1024 },
  { path: '/synpunkt', budget: 50 * 1024 },
  { path: '/felanmalan', budget: 50 * 1024 },
  { path: '/e-forslag', budget: 50 * 1024 },
];

const gzipSize = (bytes) => gzipSync(bytes, { level: 9 }).length;

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** The built JavaScript files a page loads: module scripts and islands, with everything they import. */
function scriptsOf(html) {
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

async function measureSizes(baseUrl) {
  const rows = [];
  for (const { path, budget } of PAGES) {
    const html = await (await fetch(`${baseUrl}${path}`)).text();
    const scripts = scriptsOf(html);
    const htmlBytes = gzipSize(Buffer.from(html));
    const jsBytes = scripts.reduce((sum, url) => sum + gzipSize(readFileSync(join(client, url))), 0);
    rows.push({ page: path, htmlGzip: htmlBytes, jsGzip: jsBytes, totalGzip: htmlBytes + jsBytes, budget, scripts: scripts.length });
  }
  return rows;
}

function precacheSize() {
  const sw = readFileSync(join(client, 'sw.js'), 'utf8');
  const urls = [...sw.matchAll(/"url":"([^"]+)"/g)].map((match) => match[1]);
  const bytes = urls.reduce((sum, url) => sum + readFileSync(join(client, url)).length, 0);
  return { files: urls.length, bytes, gzip: urls.reduce((sum, url) => sum + gzipSize(readFileSync(join(client, url))), 0) };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

const port = await freePort();
const dataDirectory = mkdtempSync(join(tmpdir(), 'en-vag-in-bench-'));
const server = spawn(process.execPath, ['server.mjs'], {
  cwd: root,
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: `sqlite:${join(dataDirectory, 'bench.sqlite')}` },
  stdio: ['ignore', 'ignore', 'inherit'],
});
try {
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt += 1) {
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) break;
    } catch {
      if (attempt > 100) throw new Error('the server did not start');
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
  const sizes = await measureSizes(baseUrl);
  const precache = precacheSize();

  console.log('\nBytes shipped per page (gzip), next to the budget');
  console.log('page          HTML+CSS        JS     total    budget   within');
  for (const row of sizes) {
    console.log(
      `${row.page.padEnd(12)} ${kb(row.htmlGzip).padStart(9)} ${kb(row.jsGzip).padStart(9)} ${kb(row.totalGzip).padStart(9)} ${kb(row.budget).padStart(9)}   ${row.totalGzip <= row.budget ? 'yes' : 'NO'}`,
    );
  }
  console.log(`\nService worker precache: ${precache.files} files, ${kb(precache.bytes)} (${kb(precache.gzip)} gzip)`);

  mkdirSync(join(root, 'bench-results'), { recursive: true });
  writeFileSync(join(root, 'bench-results/bench.json'), `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, sizes, precache }, null, 2)}\n`);
  console.log('\nwritten to bench-results/bench.json');
} finally {
  server.kill('SIGTERM');
  rmSync(dataDirectory, { recursive: true, force: true });
}
