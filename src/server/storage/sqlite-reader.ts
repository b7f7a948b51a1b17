/**
 * Long reads of a SQLite file off the request thread. better-sqlite3 is synchronous: a query of
 * a million rows on the server's connection would stop every other request until it ended. So
 * `Sql.stream` runs on a connection of its own in a worker thread (sqlite-reader-worker.mjs);
 * WAL lets it read a snapshot while the server's connection goes on writing. The worker reads a
 * batch only when asked (credit-based), and the next batch is asked for when the one before is
 * handed on: the worker reads ahead by one batch, never more, however slowly the rows are taken.
 */
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { STREAM_BATCH_ROWS, toParam, type Sql } from './sql';

/** Long reads running at once; more wait for one to end. Each holds a worker and a read snapshot. */
const MAX_READERS = 4;
/** A reader waits this long for a lock (only a checkpoint that restarts the WAL takes one briefly). */
const READER_BUSY_TIMEOUT_MS = 5_000;

type Answer = { type: 'rows'; columns: string[]; rows: unknown[][]; done: boolean } | { type: 'error'; message: string; code?: string };
type Batch = { rows: Record<string, unknown>[]; done: boolean };

/** The worker's rows (arrays of values, which cost less to copy between threads) as objects by column name. */
function rowObjects(columns: readonly string[], rows: readonly unknown[][]): Record<string, unknown>[] {
  return rows.map((values) => {
    const row: Record<string, unknown> = {};
    for (let index = 0; index < columns.length; index += 1) row[columns[index]!] = values[index];
    return row;
  });
}

/** One worker thread and the answer it owes, if any. */
interface Reader {
  worker: Worker;
  ask(message: { type: 'query'; sql: string; params: unknown[] } | { type: 'more' }): Promise<Batch>;
  /** Set when the worker stopped: it is not used again. */
  failed: boolean;
}

export interface SqliteReader {
  stream: Sql['stream'];
  /** Stops every worker; reads in progress fail. */
  close(): Promise<void>;
}

/**
 * Long reads of the SQLite file at `path`, for `Sql.stream`. Workers start on the first read and
 * are kept for the next; an idle one does not keep the process alive. `guard` turns a worker's
 * SQLite error into the storage's own errors, as on the server's connection.
 */
export function openSqliteReader(path: string, guard: <T>(operation: () => T) => T): SqliteReader {
  const idle: Reader[] = [];
  const all = new Set<Reader>();
  const waiting: (() => void)[] = [];
  let closed = false;

  function start(): Reader {
    if (path === ':memory:') throw new Error('Sql.stream needs a database file: an in-memory database has no second connection');
    const worker = new Worker(new URL('./sqlite-reader-worker.mjs', import.meta.url), {
      workerData: { path, batchRows: STREAM_BATCH_ROWS, busyTimeoutMs: READER_BUSY_TIMEOUT_MS },
    });
    let owed: { resolve: (answer: Answer) => void; reject: (error: Error) => void } | undefined;
    const reader: Reader = {
      worker,
      failed: false,
      ask(message) {
        const answer = new Promise<Answer>((resolve, reject) => {
          owed = { resolve, reject };
          worker.postMessage(message);
        }).then((reply) => {
          if (reply.type === 'rows') return { rows: rowObjects(reply.columns, reply.rows), done: reply.done };
          const error = new Database.SqliteError(reply.message, reply.code ?? 'SQLITE_ERROR');
          return guard(() => {
            throw error;
          });
        });
        // The batch read ahead may fail while the caller is still busy with the one before: it
        // sees the failure when it asks, and the process must not take it as unhandled meanwhile.
        answer.catch(() => undefined);
        return answer;
      },
    };
    const fail = (error: Error) => {
      reader.failed = true;
      all.delete(reader);
      owed?.reject(error);
      owed = undefined;
    };
    worker.on('message', (answer: Answer) => {
      const answered = owed;
      owed = undefined;
      answered?.resolve(answer);
    });
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the SQLite reader stopped (exit code ${code})`)));
    all.add(reader);
    return reader;
  }

  async function take(): Promise<Reader> {
    for (;;) {
      if (closed) throw new Error('the SQLite reader is closed');
      let reader: Reader | undefined;
      while ((reader = idle.pop())) if (!reader.failed) return reader;
      if (all.size < MAX_READERS) return start();
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
  }

  function give(reader: Reader): void {
    if (!reader.failed && !closed) {
      reader.worker.unref();
      idle.push(reader);
    }
    waiting.shift()?.();
  }

  return {
    async *stream<Row>(sql: string, params: readonly unknown[] = []): AsyncGenerator<Row[]> {
      const reader = await take();
      reader.worker.ref();
      let pending: Promise<Batch> | undefined = reader.ask({ type: 'query', sql, params: params.map(toParam) });
      try {
        while (pending) {
          const batch: Batch = await pending;
          pending = batch.done ? undefined : reader.ask({ type: 'more' });
          if (batch.rows.length > 0) yield batch.rows as Row[];
        }
      } finally {
        // Left early (the download was cancelled, or the caller threw): take the batch still
        // on its way, so the worker's next answer belongs to its next query, then end this one.
        if (pending) {
          await pending.catch(() => undefined);
          if (!reader.failed) reader.worker.postMessage({ type: 'end' });
        }
        give(reader);
      }
    },
    async close() {
      closed = true;
      for (const resolve of waiting.splice(0)) resolve();
      await Promise.all([...all].map((reader) => reader.worker.terminate()));
      idle.length = 0;
    },
  };
}
