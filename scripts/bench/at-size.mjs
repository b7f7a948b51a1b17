// Issue 13's targets at one size: a fresh database of `kind` seeded with `errands` generated
// errands (scripts/bench/seed.mjs), one portal server on it with the rate limit on as in
// production, and a signed-in admin. Measured through HTTP: the staff reads and the public fault
// list (p95), the follow-up dashboard, the CSV and JSON exports of every errand (rows/s, time
// to the first byte, the server's peak RSS), durable intake alone and with one staff member
// reloading the inbox and one exporting CSV beside it, and the bare insert loop on the same
// database; then the dashboard's figures through the Store against a recount (follow-up.mjs).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { resolve } from 'node:path';
import { followUpBench } from './follow-up.mjs';
import { bareInserts } from './inserts.mjs';
import { runLoad, timeGets } from './load.mjs';
import { seedErrands } from './seed.mjs';
import { freshDatabase, peakRss, resetPeakRss, startPortal } from './servers.mjs';

const ADMIN = { email: 'bench.admin@example.se', password: 'ett riktigt långt lösenord för bänken' };
const PAGE_SIZE = 25;
const CLIENTS = 50;

/** The admin's session cookie: the account made with the real CLI, signed in through the sign-in form. */
async function signIn(root, url, databaseUrl) {
  const made = spawnSync(process.execPath, ['scripts/user-add.mjs', '--email', ADMIN.email, '--name', 'Bänk Admin', '--role', 'admin'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: databaseUrl, NEW_USER_PASSWORD: ADMIN.password },
  });
  if (made.status !== 0) throw new Error(`user:add failed: ${made.stderr}`);
  const jar = new Map();
  const keep = (response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
  };
  const cookie = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  const page = await fetch(`${url}/handlaggning/logga-in`);
  keep(page);
  const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  const signedIn = await fetch(`${url}/handlaggning/logga-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie() },
    body: new URLSearchParams({ csrf, email: ADMIN.email, password: ADMIN.password, till: '/handlaggning' }),
  });
  keep(signedIn);
  if (signedIn.status !== 303) throw new Error(`signing in answered ${signedIn.status}`);
  return cookie();
}

async function pageText(url, path, cookie) {
  const response = await fetch(`${url}${path}`, { headers: { Cookie: cookie } });
  if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
  return response.text();
}

const unescapeHtml = (text) => text.replaceAll('&amp;', '&');

/**
 * The address of a list's last page as the page itself links it (rel="last", or a link saying
 * "Sista sidan"). A page without one (pages numbered for OFFSET) gets the number of its last
 * page from the count it shows.
 */
function lastPage(html, path) {
  const link = /<a\b[^>]*\brel="last"[^>]*>/.exec(html)?.[0] ?? /<a\b[^>]*>(?=\s*Sista sidan)/.exec(html)?.[0];
  const href = link && /\bhref="([^"]+)"/.exec(link)?.[1];
  if (href) return { path: unescapeHtml(href), via: 'the page’s link to its last page' };
  const total = Number(/role="status"[^>]*>([^<]*)</.exec(html)?.[1].replace(/\D/g, '') ?? 0);
  const target = new URL(path, 'http://x');
  target.searchParams.set('sida', String(Math.max(1, Math.ceil(total / PAGE_SIZE))));
  return { path: `${target.pathname}${target.search}`, via: 'page number (no rel="last" link)' };
}

/**
 * Waits until the server answers /healthz within half a second again (at most `maxSeconds`):
 * an export the client stopped may still occupy it, and the next measurement must not pay for
 * that. Gives the seconds it waited.
 */
async function untilIdle(url, maxSeconds = 300) {
  const started = performance.now();
  for (;;) {
    const asked = performance.now();
    await fetch(`${url}/healthz`).then((response) => response.arrayBuffer()).catch(() => undefined);
    const waited = (performance.now() - started) / 1000;
    if (performance.now() - asked < 500 || waited > maxSeconds) return Number(waited.toFixed(1));
  }
}

/** Reads an export to its end, or stops it after `timeoutSeconds`: rows/s, time to the first byte, bytes. */
function readExport(url, path, cookie, { timeoutSeconds, headerLines, trailerLines, signal }) {
  return new Promise((resolveRead) => {
    const target = new URL(path, url);
    const started = performance.now();
    let firstByteMs = Number.NaN;
    let lines = 0;
    let bytes = 0;
    let status = 0;
    let stopped = false;
    const finish = () => {
      clearTimeout(timer);
      // One staff member exports again and again under the same signal: each finished export lets go of it.
      signal?.removeEventListener('abort', stop);
      const seconds = (performance.now() - started) / 1000;
      const rows = Math.max(0, lines - headerLines - (stopped ? 0 : trailerLines));
      resolveRead({ status, rows, bytes, seconds: Number(seconds.toFixed(2)), rowsPerSecond: Math.round(rows / seconds), firstByteMs: Number(firstByteMs.toFixed(0)), complete: !stopped });
    };
    const request = http.get({ host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, headers: { Cookie: cookie } }, (response) => {
      status = response.statusCode;
      response.on('data', (chunk) => {
        if (Number.isNaN(firstByteMs)) firstByteMs = performance.now() - started;
        bytes += chunk.length;
        for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines += 1;
      });
      response.on('end', finish);
      response.on('error', finish);
    });
    const stop = () => {
      stopped = true;
      request.destroy();
      finish();
    };
    request.on('error', () => !stopped && finish());
    const timer = setTimeout(stop, timeoutSeconds * 1000);
    if (signal?.aborted) stop();
    else signal?.addEventListener('abort', stop, { once: true });
  });
}

/**
 * Seeds a fresh `kind` database with `errands`, measures everything above on it, and removes it.
 * `seconds` is how long each intake load runs; exports stop after `exportSeconds`.
 */
export async function measureAtSize(root, kind, errands, { seconds, exportSeconds, readBudgetSeconds, readCount, bareLoops, log }) {
  const database = await freshDatabase(kind);
  try {
    log(`seeding ${errands.toLocaleString('en')} errands into ${kind}…`);
    const seedStarted = performance.now();
    const seeded = await seedErrands(root, database.url, { errands });
    const seedSeconds = Number(((performance.now() - seedStarted) / 1000).toFixed(1));
    const config = JSON.parse(readFileSync(resolve(root, process.env.MUNICIPALITY_CONFIG ?? 'config/varmdo.json'), 'utf8'));
    const today = seeded.until.slice(0, 10);
    const lastYear = Number(today.slice(0, 4)) - 1;
    const faultUnit = config.faultCategories[0].unit;

    const server = await startPortal(root, database.url, { rateLimit: true });
    try {
      const cookie = await signIn(root, server.url, database.url);
      const staffRead = (path) => timeGets({ url: server.url, path, count: readCount, budgetSeconds: readBudgetSeconds, headers: { Cookie: cookie } });
      const inboxHtml = await pageText(server.url, '/handlaggning', cookie);
      const inboxLast = lastPage(inboxHtml, '/handlaggning');
      const references = [...inboxHtml.matchAll(/href="(\/handlaggning\/arende\/[^"]+)"/g)].map((match) => match[1]);
      const faultsHtml = await pageText(server.url, '/felanmalan/rapporterade', '');
      const faultsLast = lastPage(faultsHtml, '/felanmalan/rapporterade');
      const year = `from=${lastYear}-01-01&to=${lastYear}-12-31`;
      const plan = [
        ['inbox, first page', '/handlaggning'],
        ['inbox, unit + status + type', `/handlaggning?${new URLSearchParams({ type: 'fault_report', unit: faultUnit, status: 'received' })}`],
        ['inbox, last page', inboxLast.path],
        ['errand page', references[0]],
        ['public fault list, first page', '/felanmalan/rapporterade'],
        ['public fault list, last page', faultsLast.path],
        ['follow-up, a year', `/handlaggning/uppfoljning?${year}`],
        ['follow-up, a year, one unit', `/handlaggning/uppfoljning?${year}&unit=${faultUnit}`],
        ['follow-up, a year, one channel', `/handlaggning/uppfoljning?${year}&channel=phone`],
      ];
      const reads = [];
      for (const [name, path] of plan) {
        log(`  ${kind} ${errands}: ${name}…`);
        reads.push({ name, ...(await staffRead(path)) });
      }

      const everything = `from=${seeded.from.slice(0, 10)}&to=${today}`;
      const exports = [];
      for (const [name, path, headerLines, trailerLines] of [
        ['CSV of all errands', `/handlaggning/uppfoljning/arenden.csv?${everything}`, 1, 0],
        ['JSON of all errands', `/handlaggning/uppfoljning/arenden.json?${everything}`, 0, 2],
      ]) {
        log(`  ${kind} ${errands}: ${name}…`);
        const peakReset = resetPeakRss(server.pid);
        const read = await readExport(server.url, path, cookie, { timeoutSeconds: exportSeconds, headerLines, trailerLines });
        exports.push({ name, ...read, peakRssBytes: peakRss(server.pid), peakSince: peakReset ? 'this export' : 'server start' });
      }

      const drained = { afterExports: await untilIdle(server.url) };
      log(`  ${kind} ${errands}: intake alone, then beside a staff member reloading the inbox and one exporting CSV (${seconds} s each)…`);
      const alone = await runLoad({ urls: [server.url], clients: CLIENTS, seconds, residents: true, label: `alone ${kind} ${errands}` });
      const stopStaff = new AbortController();
      let inboxReloads = 0;
      let exportRows = 0;
      const reloading = (async () => {
        while (!stopStaff.signal.aborted) {
          await timeGets({ url: server.url, path: '/handlaggning', count: 1, minimum: 1, headers: { Cookie: cookie } });
          inboxReloads += 1;
        }
      })();
      const exporting = (async () => {
        while (!stopStaff.signal.aborted) {
          exportRows += (await readExport(server.url, `/handlaggning/uppfoljning/arenden.csv?${everything}`, cookie, { timeoutSeconds: 3600, headerLines: 1, trailerLines: 0, signal: stopStaff.signal })).rows;
        }
      })();
      const beside = await runLoad({ urls: [server.url], clients: CLIENTS, seconds, residents: true, label: `beside ${kind} ${errands}` });
      stopStaff.abort();
      await Promise.all([reloading, exporting]);
      drained.afterIntake = await untilIdle(server.url);

      log(`  ${kind} ${errands}: bare insert loop on the same database (${seconds} s)…`);
      const bare = await bareInserts(root, kind, database.url, { seconds, loops: bareLoops });
      log(`  ${kind} ${errands}: the dashboard's figures through the Store against a recount…`);
      const followUp = await followUpBench(root, kind, database.url, { year: lastYear, unit: faultUnit });
      return {
        database: kind,
        errands,
        seeded: { ...seeded, seconds: seedSeconds },
        lastPageVia: { inbox: inboxLast.via, faults: faultsLast.via },
        reads,
        exports,
        intake: { alone, beside, inboxReloads, exportRows, bare },
        // How long the server stayed busy with exports the client had stopped, in seconds.
        drained,
        followUp,
      };
    } finally {
      await server.stop();
    }
  } finally {
    await database.drop();
  }
}
