// @ts-check
/**
 * The worker thread of sqlite-reader.ts: one read-only connection to the SQLite file, running
 * one long query at a time and handing its rows over a batch at a time, only when asked.
 *
 * Plain JavaScript rather than TypeScript, and importing nothing of ours: the file is started
 * as it is, next to the module that starts it, however that module was built (the Astro build
 * copies it into dist/server, the esbuild bundles of the commands into their folder, and the
 * dev server runs it from src/).
 *
 * Messages in: `{ type: 'query', sql, params }` starts a query and answers its first batch,
 * `{ type: 'more' }` answers the next batch, `{ type: 'end' }` stops the query early. Messages
 * out: `{ type: 'rows', columns, rows, done }` with each row an array of values in the order of
 * `columns` (copying arrays between threads costs less than copying objects), or
 * `{ type: 'error', message, code }` (the query is over).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** @type {{ path: string, batchRows: number, busyTimeoutMs: number }} */
const { path, batchRows, busyTimeoutMs } = workerData;
if (!parentPort) throw new Error('sqlite-reader-worker.mjs runs as a worker thread only');
const port = parentPort;

// Read-only: WAL lets this connection read a snapshot while the server's connection writes.
const db = new Database(path, { readonly: true, fileMustExist: true });
db.pragma(`busy_timeout = ${busyTimeoutMs}`);

/** The rows of the query in progress; its read transaction stays open until they end. */
/** @type {IterableIterator<unknown> | undefined} */
let rows;
/** @type {string[]} */
let columns = [];

function stop() {
  rows?.return?.();
  rows = undefined;
}

function sendBatch() {
  if (!rows) throw new Error('no query in progress');
  const batch = [];
  while (batch.length < batchRows) {
    const next = rows.next();
    if (next.done) break;
    batch.push(next.value);
  }
  const done = batch.length < batchRows;
  // A finished iterator has already reset its statement, which ends the read transaction.
  if (done) rows = undefined;
  port.postMessage({ type: 'rows', columns, rows: batch, done });
}

port.on('message', (/** @type {{ type: 'query', sql: string, params: unknown[] } | { type: 'more' } | { type: 'end' }} */ message) => {
  try {
    if (message.type === 'query') {
      stop();
      const statement = db.prepare(message.sql).raw(true);
      columns = statement.columns().map((column) => column.name);
      rows = statement.iterate(...message.params);
      sendBatch();
    } else if (message.type === 'more') sendBatch();
    else stop();
  } catch (error) {
    stop();
    const { message: text, code } = /** @type {{ message?: string, code?: string }} */ (error);
    port.postMessage({ type: 'error', message: text ?? String(error), code });
  }
});
