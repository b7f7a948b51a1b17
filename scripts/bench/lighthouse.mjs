// Lighthouse (mobile, the default form factor) against Debian's Chromium: performance,
// accessibility and best practices of a page, as 0–100 scores.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const CHROME_FLAGS = '--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync';

/** Why Lighthouse cannot run here, or undefined when it can. */
export function lighthouseProblem(root) {
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROME_PATH)`;
  if (!existsSync(join(root, 'node_modules/.bin/lighthouse'))) return 'lighthouse is not installed (npm ci)';
  return undefined;
}

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
  return { performance: score('performance'), accessibility: score('accessibility'), bestPractices: score('best-practices'), failingAudits: failing };
}
