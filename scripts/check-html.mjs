// The Nu Html Checker (vnu-jar, run with Java) over every HTML document the browser tests saw
// (tests/helpers/html-capture.mjs): one test per document, failed when the checker reports an
// error in it. `npm test` runs it after Playwright; after `npx playwright test` run it alone:
//
//   node scripts/check-html.mjs            checks test-results/html
//   node scripts/check-html.mjs DIRECTORY  checks the .html files in DIRECTORY
//
// Node built-ins only, like scripts/test.mjs.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const VNU_JAR = join(repositoryRoot, 'node_modules/vnu-jar/build/dist/vnu.jar');
const DEFAULT_DIRECTORY = join(repositoryRoot, 'test-results/html');
/** The checker's report of a few hundred documents fits easily; the default 1 MB might not. */
const MAX_REPORT_BYTES = 64 * 1024 * 1024;

/**
 * Checks every `.html` file in `directory` and returns how many passed and failed, one line per
 * error (`file:line:column: message`), and `problem` when the checker itself could not run.
 *
 * @param {string} [directory]
 * @returns {{ passed: number, failed: number, errors: string[], problem?: string }}
 */
export function checkHtml(directory = DEFAULT_DIRECTORY) {
  const files = existsSync(directory) ? readdirSync(directory).filter((name) => name.endsWith('.html')) : [];
  if (files.length === 0) return { passed: 0, failed: 0, errors: [], problem: `no HTML documents in ${directory} (did the browser tests run?)` };
  const result = spawnSync('java', ['-jar', VNU_JAR, '--errors-only', '--format', 'json', directory], {
    encoding: 'utf8',
    maxBuffer: MAX_REPORT_BYTES,
  });
  if (result.error) return { passed: 0, failed: 0, errors: [], problem: `could not run java: ${result.error.message}` };
  let report;
  try {
    // The checker writes its report to stderr.
    report = JSON.parse(result.stderr);
  } catch {
    return { passed: 0, failed: 0, errors: [], problem: `the checker exited with ${result.status} without a report: ${result.stderr.slice(0, 500)}` };
  }
  const errors = [];
  const failedFiles = new Set();
  for (const message of report.messages ?? []) {
    const file = message.url ? basename(fileURLToPath(message.url)) : directory;
    failedFiles.add(file);
    const where = message.lastLine === undefined ? file : `${file}:${message.lastLine}:${message.firstColumn ?? message.lastColumn ?? 1}`;
    const extract = message.extract ? `\n      ${message.extract.replace(/\s+/g, ' ').trim()}` : '';
    errors.push(`${where}: ${message.type}${message.subType ? ` (${message.subType})` : ''}: ${message.message}${extract}`);
  }
  return { passed: files.length - failedFiles.size, failed: failedFiles.size, errors };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const directory = resolve(process.argv[2] ?? DEFAULT_DIRECTORY);
  const { passed, failed, errors, problem } = checkHtml(directory);
  for (const error of errors) console.log(`  ${error}`);
  if (problem) console.log(`check-html: ${problem}`);
  console.log(`check-html: ${passed} documents valid, ${failed} with errors (${directory})`);
  process.exit(problem || failed > 0 ? 1 : 0);
}
