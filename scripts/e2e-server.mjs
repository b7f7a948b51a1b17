// Starts the portal for Playwright on an empty database: wipes the directory of the SQLite file
// named by DATABASE_URL, then runs server.mjs in this process (so Playwright's SIGTERM reaches it).
// Every HTML document it sends is kept for the Nu Html Checker (tests/helpers/html-capture.mjs).
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clearHtmlCapture, saveHtml } from '../tests/helpers/html-capture.mjs';

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
clearHtmlCapture();

const DECOMPRESS = { gzip: gunzipSync, br: brotliDecompressSync, deflate: inflateSync };

/**
 * Copies what the response sends and saves it once it ends, when it is an HTML page. The copy is
 * taken on the way to the socket, after server.mjs has compressed it, so it is decompressed here:
 * the checker reads the very bytes the browser got.
 */
function keepHtmlOf(request, response) {
  const chunks = [];
  const copy = (chunk, encoding) => {
    if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') {
      chunks.push(Buffer.from(chunk, typeof encoding === 'string' ? encoding : undefined));
    }
  };
  const write = response.write;
  const end = response.end;
  response.write = function (chunk, encoding, ...rest) {
    copy(chunk, encoding);
    return write.call(this, chunk, encoding, ...rest);
  };
  response.end = function (chunk, encoding, ...rest) {
    copy(chunk, encoding);
    const result = end.call(this, chunk, encoding, ...rest);
    if (String(response.getHeader('content-type') ?? '').startsWith('text/html') && request.method !== 'HEAD') {
      const body = Buffer.concat(chunks);
      const decompress = DECOMPRESS[String(response.getHeader('content-encoding') ?? '')];
      saveHtml((decompress ? decompress(body) : body).toString('utf8'), `served ${request.method} ${request.url}`);
    }
    return result;
  };
}

const createServer = http.createServer;
http.createServer = (...args) => {
  const listener = args.pop();
  return createServer(...args, (request, response) => {
    keepHtmlOf(request, response);
    listener(request, response);
  });
};

process.chdir(repositoryRoot);
await import('../server.mjs');
