// `npm run bench`: measures what the portal costs on this machine and prints each figure next
// to its baseline from the same run, then writes them all to bench-results/bench.json.
//   - durable submissions per second and p50/p99 latency through POST /api/v1/submissions
//     (50 concurrent clients) on SQLite, on PostgreSQL, and with two instances on one
//     PostgreSQL, next to a bare loop of the same inserts through the Store into each database;
//   - gallring: errands purged per second by one run, next to the bare inserts;
//   - the bytes (gzip) each page ships next to its budget, and the service worker's precache;
//   - Lighthouse mobile scores of the start page and every errand form in sv, ar and lättläst,
//     median of BENCH_LIGHTHOUSE_RUNS (default 5) runs with min and max, next to their targets;
//   - fault reports through Open311 (POST /open311/v2/requests.json) next to the same reports
//     through the JSON API, and reading up to 1,000 of them back, next to a request that reads nothing.
//   - issue 13's targets at 10,000 and at BENCH_ERRANDS (default 1,000,000) generated errands,
//     each size seeded once per database by scripts/bench/seed.mjs (see at-size.mjs): the staff
//     reads, the public fault list and the follow-up dashboard (p95 through HTTP, signed in),
//     the exports of every errand (rows/s, first byte, server peak RSS), durable intake alone
//     and beside staff reads, next to the bare insert loop; and the dashboard's figures through
//     the Store next to a bare COUNT(*) and to the same figures computed by loading every row.
//     One table per database: target, 10k, large, growth, goal, met.
// Targets are context, not pass/fail: the command never fails for missing one.
// BENCH_SECONDS (default 10) sets how long each load runs; BENCH_EXPORT_SECONDS (default 120)
// when an export still running is stopped (its rows/s then counts what it sent until then).
// `--profile` (or BENCH_PROFILE=1) runs the SQLite intake server under node --cpu-prof and prints
// the 15 functions with the most self time; the profile stays in bench-results/profile/.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureAtSize } from './bench/at-size.mjs';
import { bareInserts } from './bench/inserts.mjs';
import { lighthouseMedians, lighthouseProblem, printLighthouse } from './bench/lighthouse.mjs';
import { runLoad, timeGets } from './bench/load.mjs';
import { purgeRun } from './bench/retention.mjs';
import { cpuProfileArgs, topSelfTime } from './bench/profile.mjs';
import { printTargets, targetRows } from './bench/targets.mjs';
import { freshDatabase, postgresProblem, startPortal } from './bench/servers.mjs';
import { measureSizes, precacheSize } from './bench/sizes.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const client = join(root, 'dist/client');
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const CLIENTS = 50;
const SMALL = 10_000;
const LARGE = Number(process.env.BENCH_ERRANDS ?? 1_000_000);
const exportSeconds = Number(process.env.BENCH_EXPORT_SECONDS ?? 120);
const profiling = process.argv.includes('--profile') || process.env.BENCH_PROFILE === '1';
const profileDirectory = join(root, 'bench-results/profile');
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const skipped = [];

/** Runs `work` with a fresh database of `kind` and `instances` servers on it (started with `options`), removing all afterwards. */
async function withPortals(kind, instances, work, options = {}) {
  const database = await freshDatabase(kind);
  const servers = [];
  try {
    for (let index = 0; index < instances; index += 1) servers.push(await startPortal(root, database.url, options));
    return await work(servers.map((server) => server.url), database.url);
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
  const scores = problem ? [] : lighthouseMedians(root, url);
  return { sizes: await measureSizes(url, client), lighthouse: scores };
});
const precache = precacheSize(client);

// 2. Throughput, each scenario next to bare inserts into the same kind of database, with the
// rate limit on as in production: every post comes from an address of its own, so none is refused.
const scenarios = [{ name: 'SQLite, 1 instance', kind: 'sqlite', instances: 1, bareLoops: 1 }];
const pgProblem = await postgresProblem();
if (pgProblem) skipped.push(`PostgreSQL figures: ${pgProblem}`);
else {
  scenarios.push({ name: 'PostgreSQL, 1 instance', kind: 'postgres', instances: 1, bareLoops: CLIENTS });
  scenarios.push({ name: 'PostgreSQL, 2 instances', kind: 'postgres', instances: 2, bareLoops: CLIENTS });
}
const throughput = [];
const bareByKind = {};
let profile;
for (const scenario of scenarios) {
  process.stdout.write(`measuring ${scenario.name} (${seconds} s)…\n`);
  const profiled = profiling && scenario.kind === 'sqlite' && scenario.instances === 1;
  if (profiled) rmSync(profileDirectory, { recursive: true, force: true });
  const load = await withPortals(scenario.kind, scenario.instances, (urls) => runLoad({ urls, clients: CLIENTS, seconds, residents: true, label: scenario.name }), {
    rateLimit: true,
    nodeArgs: profiled ? cpuProfileArgs(profileDirectory) : [],
  });
  if (profiled) profile = { scenario: scenario.name, durable: load.durable, ...topSelfTime(profileDirectory) };
  bareByKind[scenario.kind] ??= await withDatabase(scenario.kind, (url) => bareInserts(root, scenario.kind, url, { seconds, loops: scenario.bareLoops }));
  const bare = bareByKind[scenario.kind];
  throughput.push({ scenario: scenario.name, ...load, bareInsertsPerSecond: bare.perSecond, bareLoops: bare.loops, ratio: Number((load.perSecond / bare.perSecond).toFixed(2)) });
}

// 3. Gallring: one run purging errands that each have a photo and three history entries.
const purges = [];
for (const kind of Object.keys(bareByKind)) {
  process.stdout.write(`measuring a purge on ${kind}…\n`);
  purges.push({ kind, ...(await withDatabase(kind, (url) => purgeRun(root, kind, url))), bareInsertsPerSecond: bareByKind[kind].perSecond });
}

// 3b. Open311 against the JSON API with the same fault reports, on one SQLite instance; then reads.
process.stdout.write(`measuring Open311 and the JSON API with fault reports on SQLite (${seconds} s each)…\n`);
const open311 = await withPortals('sqlite', 1, async ([url], databaseUrl) => {
  const issued = spawnSync(process.execPath, ['scripts/open311-key.mjs', '--client', 'bench'], { cwd: root, encoding: 'utf8', env: { ...process.env, DATABASE_URL: databaseUrl } });
  const key = issued.stdout.trim().split('\n').at(-1);
  const report = (index) => ({ place: `Hamnvägen ${index % 100}, Gustavsberg`, message: `bench ${process.pid} ${index}: lampan är släckt` });
  const api = await runLoad({
    urls: [url],
    clients: CLIENTS,
    seconds,
    request: (index) => ({
      path: '/api/v1/submissions',
      contentType: 'application/json',
      body: JSON.stringify({ type: 'fault_report', category: 'gatubelysning', location: { description: report(index).place, lat: 59.32, lon: 18.38 }, message: report(index).message }),
    }),
  });
  const posts = await runLoad({
    urls: [url],
    clients: CLIENTS,
    seconds,
    request: (index) => ({
      path: '/open311/v2/requests.json',
      contentType: 'application/x-www-form-urlencoded',
      body: new URLSearchParams({ api_key: key, service_code: 'gatubelysning', address_string: report(index).place, lat: '59.32', long: '18.38', description: report(index).message }).toString(),
    }),
  });
  const reads = [];
  for (const path of ['/api/v1/services', '/open311/v2/requests.json', '/open311/v2/requests.xml', '/open311/v2/requests.json?max_requests=25']) reads.push(await timeGets({ url, path }));
  return { api, posts, reads };
});

// 4. Issue 13's targets, each database seeded once per size.
const atSize = [];
for (const kind of pgProblem ? ['sqlite'] : ['sqlite', 'postgres']) {
  for (const errands of [SMALL, LARGE]) {
    atSize.push(
      await measureAtSize(root, kind, errands, {
        seconds,
        exportSeconds,
        readBudgetSeconds: 20,
        readCount: 30,
        bareLoops: kind === 'sqlite' ? 1 : CLIENTS,
        log: (line) => process.stdout.write(`${line}\n`),
      }),
    );
  }
}
const followUp = atSize.map((measured) => ({ ...measured.followUp, seeded: measured.errands }));

// 4. Everything side by side.
console.log(`\nDurable submissions through POST /api/v1/submissions, ${CLIENTS} concurrent clients, ${seconds} s each`);
console.log('Rate limit on (TRUST_PROXY=1, an X-Forwarded-For address per post); refused: answers 429, among the errors');
console.log('scenario                  submissions/s   p50 ms   p99 ms  errors refused | bare inserts/s (loops)  API/bare');
for (const row of throughput) {
  console.log(
    `${row.scenario.padEnd(25)} ${String(row.perSecond).padStart(13)} ${row.p50Ms.toFixed(1).padStart(8)} ${row.p99Ms.toFixed(1).padStart(8)} ${String(row.errors).padStart(7)} ${String(row.refused).padStart(7)} | ${`${row.bareInsertsPerSecond} (${row.bareLoops})`.padStart(22)} ${row.ratio.toFixed(2).padStart(9)}`,
  );
}
console.log('target: one instance on SQLite at least 1,000 durable submissions/s with p99 under 50 ms, at least 0.5× bare; none refused');
if (profile) {
  console.log(`\nCPU profile of the server in "${profile.scenario}": ${profile.busyMs} ms busy of ${profile.totalMs} ms sampled, ${(profile.busyMs / profile.durable).toFixed(2)} ms per durable submission (start-up and warm-up included)`);
  console.log('self ms   share  function');
  for (const row of profile.functions) console.log(`${row.selfMs.toFixed(1).padStart(7)} ${(row.share * 100).toFixed(1).padStart(6)}%  ${row.name}`);
  console.log(`profile: ${profile.file}`);
}

console.log('\nGallring: one run purging closed errands (photo, note, reply), one transaction each');
console.log('database    errands  seconds  purged/s | bare inserts/s');
for (const row of purges) {
  console.log(`${row.kind.padEnd(10)} ${String(row.errands).padStart(8)} ${row.seconds.toFixed(2).padStart(8)} ${String(row.perSecond).padStart(9)} | ${String(row.bareInsertsPerSecond).padStart(14)}`);
}
console.log(`\nFault reports on SQLite, ${CLIENTS} concurrent clients, ${seconds} s each`);
console.log('through                          reports/s   p50 ms   p99 ms  errors');
for (const [name, row] of [['POST /api/v1/submissions', open311.api], ['POST /open311/v2/requests.json', open311.posts]]) {
  console.log(`${name.padEnd(32)} ${String(row.perSecond).padStart(9)} ${row.p50Ms.toFixed(1).padStart(8)} ${row.p99Ms.toFixed(1).padStart(8)} ${String(row.errors).padStart(7)}`);
}
console.log(`Open311/API: ${(open311.posts.perSecond / open311.api.perSecond).toFixed(2)}`);
console.log('\nReads, one client, 200 requests each (the first reads nothing from storage)');
console.log('path                                        p50 ms   p99 ms      bytes');
for (const row of open311.reads) console.log(`${row.path.padEnd(43)} ${row.p50Ms.toFixed(1).padStart(6)} ${row.p99Ms.toFixed(1).padStart(8)} ${String(row.bytes).padStart(10)}${row.errors ? `  errors: ${row.errors}` : ''}`);

console.log('\nBytes shipped per page (gzip), next to the budget');
console.log('page          HTML+CSS        JS  JS budget     total    budget   within');
for (const row of sizes) {
  console.log(
    `${row.page.padEnd(12)} ${kb(row.htmlGzip).padStart(9)} ${kb(row.jsGzip).padStart(9)} ${(row.scriptBudget ? kb(row.scriptBudget) : '').padStart(10)} ${kb(row.totalGzip).padStart(9)} ${kb(row.budget).padStart(9)}   ${row.totalGzip <= row.budget && (!row.scriptBudget || row.jsGzip <= row.scriptBudget) ? 'yes' : 'NO'}`,
  );
}
console.log(`Service worker precache: ${precache.files} files, ${kb(precache.bytes)} (${kb(precache.gzip)} gzip)`);

if (lighthouse.length > 0) printLighthouse(lighthouse);
console.log(`\nFollow-up dashboard through the Store for one year (${followUp[0]?.year ?? ''}) of the generated errands, median of ${followUp[0]?.runs ?? 0} runs`);
console.log('database  seeded     errands  figures ms  one unit ms  one channel ms | COUNT(*) ms  all rows in JS ms  figures/JS | errand list ms (rows)  same figures');
for (const row of followUp) {
  console.log(
    `${row.database.padEnd(9)} ${String(row.seeded).padStart(7)} ${String(row.errands).padStart(10)} ${row.dashboardMs.toFixed(1).padStart(11)} ${row.oneUnitDashboardMs.toFixed(1).padStart(12)} ${row.oneChannelDashboardMs.toFixed(1).padStart(15)} | ${row.bareCountMs.toFixed(1).padStart(11)} ${row.rowsInJavaScriptMs.toFixed(1).padStart(17)} ${(row.dashboardMs / row.rowsInJavaScriptMs).toFixed(2).padStart(11)} | ${`${row.errandListMs.toFixed(0)} (${row.errandListRows})`.padStart(21)}  ${row.figuresAgree ? 'yes' : 'NO'}`,
  );
}
printTargets(atSize);
for (const reason of skipped) console.log(`\nskipped: ${reason}`);

mkdirSync(join(root, 'bench-results'), { recursive: true });
writeFileSync(
  join(root, 'bench-results/bench.json'),
  `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, seconds, throughput, profile, purges, open311, sizes, precache, lighthouse, followUp, atSize, targets: atSize.length ? targetRows(atSize) : [], skipped }, null, 2)}\n`,
);
console.log('\nwritten to bench-results/bench.json');
