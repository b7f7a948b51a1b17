// Starts the portal for Playwright on an empty database: wipes the directory of the SQLite file
// named by DATABASE_URL, then runs server.mjs in this process (so Playwright's SIGTERM reaches it).
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const testResultsDirectory = resolve(repositoryRoot, 'test-results');
const databaseUrl = process.env.DATABASE_URL ?? '';

if (!existsSync(resolve(repositoryRoot, 'dist/server/entry.mjs'))) {
  console.error('e2e-server: dist/server/entry.mjs is missing: run npm run build first');
  process.exit(1);
}
if (!databaseUrl.startsWith('sqlite:')) {
  console.error(`e2e-server: DATABASE_URL must be sqlite:<path>, got "${databaseUrl}"`);
  process.exit(1);
}
const dataDirectory = dirname(resolve(repositoryRoot, databaseUrl.slice('sqlite:'.length)));
// Refuse to wipe anything outside test-results/: a mistyped DATABASE_URL must not delete real data.
const insideTestResults = relative(testResultsDirectory, dataDirectory);
if (insideTestResults === '' || insideTestResults.startsWith('..') || isAbsolute(insideTestResults)) {
  console.error(`e2e-server: refusing to wipe ${dataDirectory}: it is not a subdirectory of ${testResultsDirectory}`);
  process.exit(1);
}

rmSync(dataDirectory, { recursive: true, force: true });
mkdirSync(dataDirectory, { recursive: true });
process.chdir(repositoryRoot);
await import('../server.mjs');
