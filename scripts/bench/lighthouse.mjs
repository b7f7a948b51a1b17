// Lighthouse (mobile, the default form factor: a simulated mid-range phone on slow 4G) against
// Debian's Chromium. One run varies with the machine's load, so every page is run several times
// and the median is what counts, printed with the lowest and highest run.
//
//   node scripts/bench/lighthouse.mjs [URL]   the pages below against a running portal (default:
//                                             a fresh one on SQLite from this checkout's build),
//                                             e.g. to measure another build beside this one
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const CHROME_FLAGS = '--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync';

/** Runs per page; the median of five is steady where one run is not. */
export const LIGHTHOUSE_RUNS = Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 5);

const FORM_PATHS = ['/fraga', '/synpunkt', '/felanmalan', '/e-forslag'];
/** The start page and every errand form in Swedish, Arabic (right to left) and lättläst. */
export const LIGHTHOUSE_PAGES = ['', '/ar', '/lattlast'].flatMap((prefix) => [
  { path: `${prefix}/`, kind: 'start' },
  ...FORM_PATHS.map((path) => ({ path: `${prefix}${path}`, kind: 'form' })),
]);

/** The targets a page's medians are held to. */
export const LIGHTHOUSE_TARGETS = {
  start: { performance: 99, accessibility: 100, totalBlockingTimeMs: 50, cumulativeLayoutShift: 0 },
  form: { performance: 98, accessibility: 100, totalBlockingTimeMs: 50, cumulativeLayoutShift: 0 },
};

/** Why Lighthouse cannot run here, or undefined when it can. */
export function lighthouseProblem(root) {
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROME_PATH)`;
  if (!existsSync(join(root, 'node_modules/.bin/lighthouse'))) return 'lighthouse is not installed (npm ci)';
  return undefined;
}

/** One Lighthouse run of a page. */
export function lighthouseScores(root, url) {
  const result = spawnSync(
    join(root, 'node_modules/.bin/lighthouse'),
    [url, '--output=json', '--output-path=stdout', '--quiet', `--chrome-flags=${CHROME_FLAGS}`, '--only-categories=performance,accessibility,best-practices'],
    { encoding: 'utf8', env: { ...process.env, CHROME_PATH: CHROMIUM }, maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.status !== 0) throw new Error(`lighthouse failed on ${url}: ${result.stderr.slice(-500)}`);
  const report = JSON.parse(result.stdout);
  const score = (id) => Math.round((report.categories[id]?.score ?? Number.NaN) * 100);
  const failing = Object.values(report.audits)
    .filter((audit) => audit.score !== null && audit.score < 1 && audit.scoreDisplayMode === 'binary')
    .map((audit) => audit.id);
  return {
    performance: score('performance'),
    accessibility: score('accessibility'),
    bestPractices: score('best-practices'),
    totalBlockingTimeMs: Math.round(report.audits['total-blocking-time']?.numericValue ?? Number.NaN),
    cumulativeLayoutShift: Number((report.audits['cumulative-layout-shift']?.numericValue ?? Number.NaN).toFixed(3)),
    failingAudits: failing,
  };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const FIGURES = ['performance', 'accessibility', 'bestPractices', 'totalBlockingTimeMs', 'cumulativeLayoutShift'];

/** Every page run `runs` times, round by round (so a busy moment hits all pages, not one): median, min and max of each figure. */
export function lighthouseMedians(root, baseUrl, pages = LIGHTHOUSE_PAGES, runs = LIGHTHOUSE_RUNS) {
  const results = pages.map(() => []);
  for (let round = 0; round < runs; round += 1) {
    pages.forEach((page, index) => results[index].push(lighthouseScores(root, `${baseUrl}${page.path}`)));
  }
  return pages.map((page, index) => {
    const figures = Object.fromEntries(
      FIGURES.map((figure) => {
        const values = results[index].map((run) => run[figure]);
        return [figure, { median: median(values), min: Math.min(...values), max: Math.max(...values) }];
      }),
    );
    const target = LIGHTHOUSE_TARGETS[page.kind];
    const meets =
      figures.performance.median >= target.performance &&
      figures.accessibility.median >= target.accessibility &&
      figures.totalBlockingTimeMs.median <= target.totalBlockingTimeMs &&
      figures.cumulativeLayoutShift.median <= target.cumulativeLayoutShift;
    const failingAudits = [...new Set(results[index].flatMap((run) => run.failingAudits))];
    return { page: page.path, kind: page.kind, runs, ...figures, meets, failingAudits };
  });
}

/** The table `npm run bench` prints. */
export function printLighthouse(rows) {
  const cell = ({ median: middle, min, max }) => `${middle} (${min}–${max})`;
  console.log(`\nLighthouse, mobile (Debian Chromium), median of ${rows[0]?.runs ?? 0} runs (min–max)`);
  console.log('page                  performance    accessibility  best practices  TBT ms            CLS                 target');
  for (const row of rows) {
    const target = LIGHTHOUSE_TARGETS[row.kind];
    console.log(
      `${row.page.padEnd(21)} ${cell(row.performance).padEnd(14)} ${cell(row.accessibility).padEnd(14)} ${cell(row.bestPractices).padEnd(15)} ${cell(row.totalBlockingTimeMs).padEnd(17)} ${cell(row.cumulativeLayoutShift).padEnd(19)} ≥${target.performance}/${target.accessibility}, TBT ≤${target.totalBlockingTimeMs}, CLS ${target.cumulativeLayoutShift}: ${row.meets ? 'yes' : 'NO'}${row.failingAudits.length ? `   failing: ${row.failingAudits.join(', ')}` : ''}`,
    );
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const problem = lighthouseProblem(root);
  if (problem) {
    console.error(`Lighthouse cannot run: ${problem}`);
    process.exit(1);
  }
  const { startPortal } = await import('./servers.mjs');
  let url = process.argv[2];
  let stop = async () => undefined;
  if (!url) {
    const directory = mkdtempSync(join(tmpdir(), 'en-vag-in-lighthouse-'));
    const portal = await startPortal(root, `sqlite:${join(directory, 'portal.db')}`);
    url = portal.url;
    stop = async () => {
      await portal.stop();
      rmSync(directory, { recursive: true, force: true });
    };
  }
  try {
    printLighthouse(lighthouseMedians(root, url.replace(/\/$/, '')));
  } finally {
    await stop();
  }
}
