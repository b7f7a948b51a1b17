// The one command that checks the project (`npm test`, and CI through .ci/run): installs what is
// missing, type-checks, checks the import rules, builds, runs the unit, API and end-to-end tests,
// and ends with the line `tests: N passed, N failed, N skipped`. Node built-ins only, because it
// runs on a fresh clone before `npm ci` (the PostgreSQL probe imports `pg` and the import check
// TypeScript once the install is done).
//
//   npm test                      everything
//   npm test -- --only unit       a subset: unit, api and/or e2e (comma-separated or repeated);
//                                 a subset skips the typecheck, and builds only for api or e2e
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkHtml } from './check-html.mjs';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(repositoryRoot);

const SUITES = ['unit', 'api', 'e2e'];
const VITEST_REPORT = 'test-results/vitest.json';
// Written by the json reporter configured in playwright.config.ts.
const PLAYWRIGHT_REPORT = 'test-results/playwright.json';
const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const INSTALL_HINT = 'sudo apt-get install -y chromium';
const JAVA_INSTALL_HINT = 'sudo apt-get install -y default-jre-headless';
const DOVECOT = '/usr/sbin/dovecot';
const DOVECOT_INSTALL_HINT = 'sudo apt-get install -y dovecot-imapd';

const totals = { passed: 0, failed: 0, skipped: 0 };
/** Whole suites left out because something they need is missing, said again in the summary. */
const notRun = [];
const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** One line per step that failed, printed before the summary so a reader knows where to look. */
const failures = [];

function announce(step, message) {
  console.log(`\n==> ${step}: ${message}`);
}

/** Runs a command with the terminal attached; returns its exit code (1 if it could not start). */
function run(command, args, extraEnv = {}) {
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', ...extraEnv },
  });
  if (result.error) {
    console.error(`could not run ${command}: ${result.error.message}`);
    return 1;
  }
  return result.status ?? 1;
}

function localBin(name) {
  return join(repositoryRoot, 'node_modules', '.bin', name);
}

function recordStepFailure(step, why) {
  totals.failed += 1;
  failures.push(`${step}: ${why}`);
}

function printSummaryAndExit() {
  if (failures.length > 0) {
    console.log('\nfailed:');
    for (const failure of failures) console.log(`  - ${failure}`);
  }
  for (const problem of notRun) console.log(`\nnot run: ${problem}`);
  console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  process.exit(totals.failed > 0 ? 1 : 0);
}

function parseSelectedSuites(args) {
  const selected = new Set();
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index];
    const value = arg === '--only' ? args[++index] : arg.startsWith('--only=') ? arg.slice('--only='.length) : undefined;
    const names = value?.split(',').filter(Boolean) ?? [];
    const unknown = names.filter((name) => !SUITES.includes(name));
    if (value === undefined || names.length === 0 || unknown.length > 0) {
      console.error(`usage: npm test [-- --only ${SUITES.join('|')}[,...]] (could not use: ${args.join(' ')})`);
      process.exit(2);
    }
    for (const name of names) selected.add(name);
  }
  return selected.size === 0 ? { suites: new Set(SUITES), isSubset: false } : { suites: selected, isSubset: true };
}

function installIsCurrent() {
  const installedLock = 'node_modules/.package-lock.json';
  return existsSync(installedLock) && statSync('package-lock.json').mtimeMs <= statSync(installedLock).mtimeMs;
}

function playwrightChromiumInstalled() {
  const browsersPath = process.env.PLAYWRIGHT_BROWSERS_PATH || join(homedir(), '.cache', 'ms-playwright');
  return existsSync(browsersPath) && readdirSync(browsersPath).some((name) => /^chromium-\d+$/.test(name));
}

/** Installs a Debian package without questions; true when apt-get succeeded. */
function aptGetInstall(debianPackage) {
  const noninteractive = { DEBIAN_FRONTEND: 'noninteractive' };
  return run('apt-get', ['update'], noninteractive) === 0 && run('apt-get', ['install', '-y', debianPackage], noninteractive) === 0;
}

function ensureChromium() {
  if (existsSync(DEBIAN_CHROMIUM)) {
    announce('browser', `using ${DEBIAN_CHROMIUM}`);
    return;
  }
  if (playwrightChromiumInstalled()) {
    announce('browser', "using Playwright's own Chromium");
    return;
  }
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (canInstall) {
    announce('browser', 'no Chromium found: installing Debian chromium with apt-get');
    if (aptGetInstall('chromium') && existsSync(DEBIAN_CHROMIUM)) return;
    announce('browser', `installing chromium failed; install it yourself: ${INSTALL_HINT}`);
  } else {
    announce(
      'browser',
      `missing: Chromium for the end-to-end tests (neither ${DEBIAN_CHROMIUM} nor Playwright's browser in ~/.cache/ms-playwright). Install it with: ${INSTALL_HINT}`,
    );
  }
  recordStepFailure('browser', `no Chromium; install it with: ${INSTALL_HINT}`);
  printSummaryAndExit();
}

function javaInstalled() {
  return spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Makes sure `java` runs, for the Nu Html Checker: installs Debian's headless Java with apt-get
 * when it is missing and this runs as root. Returns why not when there is still no Java; the
 * markup check then counts as failed, and the other tests run.
 */
function ensureJava() {
  if (javaInstalled()) {
    announce('java', 'found: the Nu Html Checker runs after the browser tests');
    return undefined;
  }
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    announce('java', 'no java found: installing Debian default-jre-headless with apt-get');
    if (aptGetInstall('default-jre-headless') && javaInstalled()) return undefined;
  }
  const problem = `missing: java for the Nu Html Checker (the markup check of the browser tests' pages). Install it with: ${JAVA_INSTALL_HINT}`;
  announce('java', problem);
  return problem;
}

/**
 * Makes sure Dovecot is there for the tests of the mailbox the portal reads (tests/api/inbound-mail.test.ts):
 * installs Debian's dovecot-imapd with apt-get when it is missing and this runs as root. Those
 * tests start a throw-away Dovecot as root; without it (or without root) they are skipped and
 * the summary says they did not run.
 */
function ensureDovecot() {
  if (existsSync(DOVECOT) && process.getuid?.() === 0) {
    announce('dovecot', `using ${DOVECOT}: the inbound e-mail tests run against a real IMAP server`);
    return;
  }
  if (!existsSync(DOVECOT) && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    announce('dovecot', 'no Dovecot found: installing Debian dovecot-imapd with apt-get');
    if (aptGetInstall('dovecot-imapd') && existsSync(DOVECOT)) return;
  }
  const problem = existsSync(DOVECOT)
    ? 'the inbound e-mail tests (tests/api/inbound-mail.test.ts) do NOT run: they start Dovecot, which needs root'
    : `the inbound e-mail tests (tests/api/inbound-mail.test.ts) do NOT run: no Dovecot. Install it with: ${DOVECOT_INSTALL_HINT}`;
  announce('dovecot', `SKIPPED: ${problem}`);
  notRun.push(problem);
}

/** Reads a JSON report, or undefined when the run that should have written it crashed first. */
function readReport(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Whether the test PostgreSQL answers; returns why not, or undefined when it does. */
async function postgresUnreachableReason() {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    return undefined;
  } catch (error) {
    return error.code ?? error.message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Makes sure the PostgreSQL the api-postgres tests use is up: starts a local cluster that is
 * installed but down; otherwise says exactly what is missing, and those tests are left out.
 */
async function ensurePostgres() {
  let reason = await postgresUnreachableReason();
  if (reason !== undefined && process.getuid?.() === 0 && existsSync('/usr/bin/pg_lsclusters')) {
    const clusters = spawnSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean);
    for (const [version, name] of clusters.map((line) => line.split(/\s+/))) {
      announce('postgresql', `${POSTGRES_URL} does not answer (${reason}): starting cluster ${version}/${name}`);
      run('pg_ctlcluster', ['--skip-systemctl-redirect', version, name, 'start']);
    }
    reason = await postgresUnreachableReason();
  }
  if (reason === undefined) {
    announce('postgresql', `using ${POSTGRES_URL}: the API tests run on SQLite and on PostgreSQL`);
    return undefined;
  }
  const problem = `no PostgreSQL at ${POSTGRES_URL} (${reason}); the api-postgres tests (the API suite on PostgreSQL) do NOT run. Start one (apt-get install -y postgresql; pg_ctlcluster 15 main start) or set TEST_POSTGRES_URL`;
  announce('postgresql', `SKIPPED: ${problem}`);
  notRun.push(problem);
  return problem;
}

function runVitest(projects) {
  announce('vitest', `running ${projects.join(' and ')} tests`);
  rmSync(VITEST_REPORT, { force: true });
  const exitCode = run(localBin('vitest'), [
    'run',
    ...projects.flatMap((project) => ['--project', project]),
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${VITEST_REPORT}`,
  ]);
  const report = readReport(VITEST_REPORT);
  if (report === undefined) {
    recordStepFailure('vitest', `exited with code ${exitCode} before writing ${VITEST_REPORT}`);
    return;
  }
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + report.numTodoTests;
  if (report.numFailedTests > 0) {
    failures.push(`vitest: ${report.numFailedTests} failed`);
  } else if (exitCode !== 0) {
    recordStepFailure('vitest', `exited with code ${exitCode} without a failing test (a test file that did not load, or an error outside tests: see above)`);
  }
}

function runPlaywright() {
  announce('playwright', 'running end-to-end tests');
  rmSync(PLAYWRIGHT_REPORT, { force: true });
  const exitCode = run(localBin('playwright'), ['test']);
  const report = readReport(PLAYWRIGHT_REPORT);
  if (report === undefined) {
    recordStepFailure('playwright', `exited with code ${exitCode} before writing ${PLAYWRIGHT_REPORT}`);
    return;
  }
  const { expected, unexpected, flaky, skipped } = report.stats;
  totals.passed += expected + flaky;
  totals.failed += unexpected;
  totals.skipped += skipped;
  if (unexpected > 0) {
    failures.push(`playwright: ${unexpected} failed`);
  } else if (exitCode !== 0) {
    const firstError = report.errors?.[0]?.message?.split('\n')[0];
    recordStepFailure('playwright', `exited with code ${exitCode} without a failing test${firstError ? `: ${firstError}` : ' (see above)'}`);
  }
}

/** The Nu Html Checker over the documents the browser tests kept: one test per document. */
function runHtmlCheck(javaProblem) {
  announce('html', 'Nu Html Checker over the pages the browser tests saw (test-results/html)');
  if (javaProblem !== undefined) {
    recordStepFailure('html', javaProblem);
    return;
  }
  const { passed, failed, errors, problem } = checkHtml();
  for (const error of errors) console.log(`  ${error}`);
  console.log(`${passed} documents valid, ${failed} with errors`);
  totals.passed += passed;
  totals.failed += failed;
  if (failed > 0) failures.push(`html: ${failed} documents with markup errors (see above; file names say page and state)`);
  if (problem !== undefined) recordStepFailure('html', problem);
}

const { suites, isSubset } = parseSelectedSuites(process.argv.slice(2));

if (!existsSync('node_modules') || !installIsCurrent()) {
  announce('install', 'node_modules is missing or older than package-lock.json: running npm ci');
  if (run('npm', ['ci']) !== 0) {
    recordStepFailure('install', 'npm ci failed');
    printSummaryAndExit();
  }
} else {
  announce('install', 'node_modules matches package-lock.json');
}

if (suites.has('e2e')) ensureChromium();
const javaProblem = suites.has('e2e') ? ensureJava() : undefined;

const postgresProblem = suites.has('api') ? await ensurePostgres() : undefined;
if (suites.has('api')) ensureDovecot();

if (isSubset) {
  announce('typecheck', 'skipped for a subset run');
} else {
  announce('typecheck', 'astro check');
  if (run(localBin('astro'), ['check']) !== 0) recordStepFailure('typecheck', 'astro check reported errors');
}

announce('imports', 'the import rules over src/ (scripts/check-imports.mjs)');
if (run('node', ['scripts/check-imports.mjs']) !== 0) recordStepFailure('imports', 'imports break the import rules (see the lines above)');

if (suites.has('api') || suites.has('e2e')) {
  announce('build', 'npm run build');
  if (run('npm', ['run', 'build']) !== 0) {
    recordStepFailure('build', 'npm run build failed');
    printSummaryAndExit();
  }
}

// The unit suite includes the DOM tests of the islands: both need neither a build nor a server.
const vitestProjects = suites.has('unit') ? ['unit', 'dom'] : [];
if (suites.has('api')) vitestProjects.push('api');
// The API suite runs a second time against PostgreSQL when one is reachable.
if (suites.has('api') && postgresProblem === undefined) vitestProjects.push('api-postgres');
if (vitestProjects.length > 0) runVitest(vitestProjects);
if (suites.has('e2e')) {
  runPlaywright();
  runHtmlCheck(javaProblem);
}

printSummaryAndExit();
