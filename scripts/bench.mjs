// `npm run bench`: measures what the portal costs on this machine and prints each figure next
// to its baseline from the same run, then writes them all to bench-results/bench.json.
//   - durable submissions per second and p50/p99 latency through POST /api/v1/submissions
//     (50 concurrent clients) on SQLite, on PostgreSQL, and with two instances on one
//     PostgreSQL, next to a bare loop of the same inserts through the Store into each database;
//   - the bytes (gzip) each page ships next to its budget, and the service worker's precache;
//   - Lighthouse mobile scores of the start page and a form page;
//   - the follow-up dashboard's figures on 100,000 generated errands (SQLite and PostgreSQL),
//     next to a bare COUNT(*) and to the same figures computed by loading every row.
// Targets are context, not pass/fail: the command never fails for missing one.
// BENCH_SECONDS (default 10) sets how long each load runs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { followUpBench } from './bench/follow-up.mjs';
import { bareInserts } from './bench/inserts.mjs';
import { lighthouseProblem, lighthouseScores } from './bench/lighthouse.mjs';
import { runLoad } from './bench/load.mjs';
import { freshDatabase, postgresProblem, startPortal } from './bench/servers.mjs';
import { measureSizes, precacheSize } from './bench/sizes.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const client = join(root, 'dist/client');
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const CLIENTS = 50;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const skipped = [];

/** Runs `work` with a fresh database of `kind` and `instances` servers on it, removing all afterwards. */
async function withPortals(kind, instances, work) {
  const database = await freshDatabase(kind);
  const servers = [];
  try {
    for (let index = 0; index < instances; index += 1) servers.push(await startPortal(root, database.url));
    return await work(servers.map((server) => server.url));
  } finally {
    for (const server of servers) await server.stop();
    await database.drop();
  }
}

async function withDatabase(kind, work) {
  const database = await freshDatabase(kind);
  try {
    return await work(database.url);
  } finally {
    await database.drop();
  }
}

// 1. Bytes shipped and Lighthouse, against one server on SQLite.
const { sizes, lighthouse } = await withPortals('sqlite', 1, async ([url]) => {
  const problem = lighthouseProblem(root);
  if (problem) skipped.push(`Lighthouse: ${problem}`);
  const scores = problem ? [] : ['/', '/felanmalan'].map((path) => ({ page: path, ...lighthouseScores(root, `${url}${path}`) }));
  return { sizes: await measureSizes(url, client), lighthouse: scores };
});
const precache = precacheSize(client);

// 2. Throughput, each scenario next to bare inserts into the same kind of database.
const scenarios = [{ name: 'SQLite, 1 instance', kind: 'sqlite', instances: 1, bareLoops: 1 }];
const pgProblem = await postgresProblem();
if (pgProblem) skipped.push(`PostgreSQL figures: ${pgProblem}`);
else {
  scenarios.push({ name: 'PostgreSQL, 1 instance', kind: 'postgres', instances: 1, bareLoops: CLIENTS });
  scenarios.push({ name: 'PostgreSQL, 2 instances', kind: 'postgres', instances: 2, bareLoops: CLIENTS });
}
const throughput = [];
const bareByKind = {};
for (const scenario of scenarios) {
  process.stdout.write(`measuring ${scenario.name} (${seconds} s)…\n`);
  const load = await withPortals(scenario.kind, scenario.instances, (urls) => runLoad({ urls, clients: CLIENTS, seconds, label: scenario.name }));
  bareByKind[scenario.kind] ??= await withDatabase(scenario.kind, (url) => bareInserts(root, scenario.kind, url, { seconds, loops: scenario.bareLoops }));
  const bare = bareByKind[scenario.kind];
  throughput.push({ scenario: scenario.name, ...load, bareInsertsPerSecond: bare.perSecond, bareLoops: bare.loops, ratio: Number((load.perSecond / bare.perSecond).toFixed(2)) });
}

// 3. The follow-up dashboard on generated errands, in a fresh database of each kind.
const followUp = [];
for (const kind of pgProblem ? ['sqlite'] : ['sqlite', 'postgres']) {
  process.stdout.write(`measuring the follow-up dashboard on ${kind}…\n`);
  followUp.push(await withDatabase(kind, (url) => followUpBench(root, kind, url)));
}

// 4. Everything side by side.
console.log(`\nDurable submissions through POST /api/v1/submissions, ${CLIENTS} concurrent clients, ${seconds} s each`);
console.log('scenario                  submissions/s   p50 ms   p99 ms  errors | bare inserts/s (loops)  API/bare');
for (const row of throughput) {
  console.log(
    `${row.scenario.padEnd(25)} ${String(row.perSecond).padStart(13)} ${row.p50Ms.toFixed(1).padStart(8)} ${row.p99Ms.toFixed(1).padStart(8)} ${String(row.errors).padStart(7)} | ${`${row.bareInsertsPerSecond} (${row.bareLoops})`.padStart(22)} ${row.ratio.toFixed(2).padStart(9)}`,
  );
}
console.log('target: one instance on SQLite at least 1,000 durable submissions/s with p99 under 50 ms');

console.log('\nBytes shipped per page (gzip), next to the budget');
console.log('page          HTML+CSS        JS     total    budget   within');
for (const row of sizes) {
  console.log(
    `${row.page.padEnd(12)} ${kb(row.htmlGzip).padStart(9)} ${kb(row.jsGzip).padStart(9)} ${kb(row.totalGzip).padStart(9)} ${kb(row.budget).padStart(9)}   ${row.totalGzip <= row.budget ? 'yes' : 'NO'}`,
  );
}
console.log(`Service worker precache: ${precache.files} files, ${kb(precache.bytes)} (${kb(precache.gzip)} gzip)`);

if (lighthouse.length > 0) {
  console.log('\nLighthouse, mobile (Debian Chromium)      target');
  console.log('page           performance  accessibility  best practices');
  for (const row of lighthouse) {
    console.log(`${row.page.padEnd(14)} ${String(row.performance).padStart(11)} ${String(row.accessibility).padStart(14)} ${String(row.bestPractices).padStart(15)}${row.failingAudits.length ? `   failing: ${row.failingAudits.join(', ')}` : ''}`);
  }
  console.log('target         ≥ 95                   100');
}
console.log(`\nFollow-up dashboard on ${followUp[0]?.errands ?? 0} generated errands, median of ${followUp[0]?.runs ?? 0} runs`);
console.log('database    figures ms  one unit ms | COUNT(*) ms  all rows in JS ms  figures/JS | errand list ms (rows)  same figures');
for (const row of followUp) {
  console.log(
    `${row.database.padEnd(10)} ${row.dashboardMs.toFixed(1).padStart(11)} ${row.oneUnitDashboardMs.toFixed(1).padStart(12)} | ${row.bareCountMs.toFixed(1).padStart(11)} ${row.rowsInJavaScriptMs.toFixed(1).padStart(17)} ${(row.dashboardMs / row.rowsInJavaScriptMs).toFixed(2).padStart(11)} | ${`${row.errandListMs.toFixed(0)} (${row.errandListRows})`.padStart(21)}  ${row.figuresAgree ? 'yes' : 'NO'}`,
  );
}
for (const reason of skipped) console.log(`\nskipped: ${reason}`);

mkdirSync(join(root, 'bench-results'), { recursive: true });
writeFileSync(
  join(root, 'bench-results/bench.json'),
  `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, seconds, throughput, sizes, precache, lighthouse, followUp, skipped }, null, 2)}\n`,
);
console.log('\nwritten to bench-results/bench.json');
