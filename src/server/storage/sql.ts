/**
 * One way to run SQL on either database, for the parts of the store written once for both:
 * `?` placeholders, rows with times as ISO strings, and transactions that hold the connection
 * (SQLite) or a pooled client (PostgreSQL) until they end.
 */
import type Database from 'better-sqlite3';
import type pg from 'pg';

export type Dialect = 'sqlite' | 'postgres';

export interface Sql {
  dialect: Dialect;
  all<Row>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  get<Row>(sql: string, params?: readonly unknown[]): Promise<Row | undefined>;
  /** Runs a statement and answers how many rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /** Runs `work` in one transaction; it commits when `work` resolves and rolls back when it throws. */
  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
  /**
   * Reads a long result (an export, a rebuild) in batches of STREAM_BATCH_ROWS, one snapshot
   * of committed rows on a connection of its own, never on the one that serves short requests:
   * a worker thread's on SQLite (sqlite-reader.ts), a cursor on a pooled client on PostgreSQL
   * (postgres-cursor.ts). The next batch is read only when the one before is taken, so a
   * slow reader holds one batch in memory, not the result; leaving the loop early ends the read.
   */
  stream<Row>(sql: string, params?: readonly unknown[]): AsyncIterable<Row[]>;
}

/** How many rows `Sql.stream` reads at a time: large enough to cost little per row, small enough to hold. */
export const STREAM_BATCH_ROWS = 1000;

export function toParam(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

export function normalizeRow<Row>(row: Record<string, unknown>): Row {
  for (const [name, value] of Object.entries(row)) if (value instanceof Date) row[name] = value.toISOString();
  return row as Row;
}

/**
 * Runs operations on one SQLite connection one after another. better-sqlite3 is synchronous,
 * but a transaction written with `await` lets other requests run between its statements; on a
 * shared connection they would land inside it. Every operation on the connection, the
 * hand-tuned intake ones included, therefore takes its turn here.
 */
export function createSerialQueue(): <T>(operation: () => T | Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (operation) => {
    const result = tail.then(operation);
    tail = result.catch(() => undefined);
    return result;
  };
}

export function sqliteSql(
  db: Database.Database,
  serial: ReturnType<typeof createSerialQueue>,
  guard: <T>(operation: () => T) => T,
  stream: Sql['stream'],
): Sql {
  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
  const direct: Sql = {
    dialect: 'sqlite',
    async all<Row>(sql: string, params: readonly unknown[] = []) {
      return guard(() => prepare(sql).all(...params.map(toParam)) as Row[]);
    },
    async get<Row>(sql: string, params: readonly unknown[] = []) {
      return guard(() => {
        const statement = prepare(sql);
        const values = params.map(toParam);
        // A writing statement (INSERT … RETURNING) outside a transaction commits when it runs to
        // its end; get() stops at the first row and would swallow a failed commit (a read-only or
        // full disk), so it runs to the end and the failure is thrown.
        return (statement.readonly ? statement.get(...values) : statement.all(...values)[0]) as Row | undefined;
      });
    },
    async run(sql: string, params: readonly unknown[] = []) {
      return guard(() => prepare(sql).run(...params.map(toParam)).changes);
    },
    transaction: (work) => work(direct),
    stream,
  };
  return {
    dialect: 'sqlite',
    all: (sql, params) => serial(() => direct.all(sql, params)),
    get: (sql, params) => serial(() => direct.get(sql, params)),
    run: (sql, params) => serial(() => direct.run(sql, params)),
    transaction: (work) =>
      serial(async () => {
        guard(() => db.exec('BEGIN IMMEDIATE'));
        try {
          const result = await work(direct);
          // In WAL mode the pages reach the disk at COMMIT: that is where a read-only or full disk shows.
          guard(() => db.exec('COMMIT'));
          return result;
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw error;
        }
      }),
    stream,
  };
}

/** `?` placeholders as PostgreSQL's `$1, $2, …`. */
export function numberedPlaceholders(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}

export function postgresSql(
  pool: pg.Pool,
  guard: <T>(operation: () => Promise<T>) => Promise<T>,
  inTransaction: <T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>) => Promise<T>,
  stream: Sql['stream'],
): Sql {
  const on = (client: pg.Pool | pg.PoolClient): Sql => ({
    dialect: 'postgres',
    async all<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await guard(() => client.query(numberedPlaceholders(sql), params.map(toParam)));
      return result.rows.map((row) => normalizeRow<Row>(row));
    },
    async get<Row>(sql: string, params: readonly unknown[] = []) {
      return (await this.all<Row>(sql, params))[0];
    },
    async run(sql: string, params: readonly unknown[] = []) {
      return (await guard(() => client.query(numberedPlaceholders(sql), params.map(toParam)))).rowCount ?? 0;
    },
    transaction: (work) => (client === pool ? inTransaction(pool, (transactionClient) => work(on(transactionClient))) : work(on(client))),
    stream,
  });
  return on(pool);
}
