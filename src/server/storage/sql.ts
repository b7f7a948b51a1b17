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

/** One operation waiting for its turn on the SQLite connection. */
interface Turn {
  /** Whether it may share a transaction with its neighbours (it writes, or it is a transaction). */
  grouped: boolean;
  operation: () => unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * The turns of one SQLite connection, and the way they commit. better-sqlite3 is synchronous,
 * but a transaction written with `await` lets other requests run between its statements; on a
 * shared connection they would land inside it. Every operation on the connection therefore
 * takes its turn here, one after another.
 *
 * Group commit: with synchronous=FULL every COMMIT waits for the disk, and that wait, not the
 * SQL, is what an acknowledged submission costs. So the writes waiting together share one
 * BEGIN IMMEDIATE … COMMIT, each in a SAVEPOINT of its own: one that throws rolls back only
 * itself, a COMMIT that fails rejects every one of the group (none was acknowledged), and no
 * promise resolves before the COMMIT that holds its writes has returned. Reads, and statements
 * that must run outside a transaction (a PRAGMA), run on their own between groups.
 */
export function createSqliteTurns(db: Database.Database, guard: <T>(operation: () => T) => T) {
  const waiting: Turn[] = [];
  let draining = false;

  /** Runs the grouped turns in one transaction and settles them once it has committed or failed. */
  const runGroup = async (group: Turn[]) => {
    const done: { turn: Turn; value: unknown }[] = [];
    const failAll = (error: unknown) => {
      for (const { turn } of done.splice(0)) turn.reject(error);
    };
    for (const [index, turn] of group.entries()) {
      if (!db.inTransaction) {
        try {
          guard(() => db.exec('BEGIN IMMEDIATE'));
        } catch (error) {
          for (const rest of group.slice(index)) rest.reject(error);
          break;
        }
      }
      db.exec('SAVEPOINT turn');
      try {
        const value = await turn.operation();
        db.exec('RELEASE turn');
        done.push({ turn, value });
      } catch (error) {
        // A failed disk write can end the whole transaction (SQLite rolls it back itself): then
        // the turns before this one lost their writes too and are told so.
        if (db.inTransaction) {
          db.exec('ROLLBACK TO turn');
          db.exec('RELEASE turn');
        } else failAll(error);
        turn.reject(error);
      }
    }
    try {
      // In WAL mode the pages reach the disk at COMMIT: that is where a read-only or full disk shows.
      if (db.inTransaction) guard(() => db.exec('COMMIT'));
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      failAll(error);
      return;
    }
    for (const { turn, value } of done) turn.resolve(value);
  };

  const drain = async () => {
    draining = true;
    // Let the requests that are already on their way queue their writes first, so they share the commit.
    await new Promise((next) => setImmediate(next));
    while (waiting.length > 0) {
      const first = waiting[0]!;
      if (!first.grouped) {
        waiting.shift();
        try {
          first.resolve(await first.operation());
        } catch (error) {
          first.reject(error);
        }
        continue;
      }
      const end = waiting.findIndex((turn) => !turn.grouped);
      const group = waiting.splice(0, end === -1 ? waiting.length : end);
      // Should even a savepoint statement fail, the group ends unacknowledged and the connection stays usable.
      await runGroup(group).catch((error: unknown) => {
        if (db.inTransaction) db.exec('ROLLBACK');
        for (const turn of group) turn.reject(error);
      });
    }
    draining = false;
  };

  const enqueue = <T>(grouped: boolean, operation: () => T | Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      waiting.push({ grouped, operation, resolve: resolve as (value: unknown) => void, reject });
      if (!draining) void drain();
    });

  return {
    /** Runs `operation` alone in its turn, outside any transaction (reads, the health probe, closing). */
    alone: <T>(operation: () => T | Promise<T>) => enqueue(false, operation),
    /** Runs `operation` in its turn inside a transaction shared with the writes waiting beside it. */
    grouped: <T>(operation: () => T | Promise<T>) => enqueue(true, operation),
  };
}

export type SqliteTurns = ReturnType<typeof createSqliteTurns>;

/** Statements that change rows, and so may share a transaction with others. */
const CHANGES_ROWS = /^\s*(INSERT|UPDATE|DELETE|REPLACE)\b/i;

export function sqliteSql(db: Database.Database, turns: SqliteTurns, guard: <T>(operation: () => T) => T, stream: Sql['stream']): Sql {
  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = guard(() => db.prepare(sql))));
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
        // A writing statement (INSERT … RETURNING) run to its end: get() stops at the first row
        // and would leave the statement unfinished (outside a transaction, its commit unseen).
        return (statement.readonly ? statement.get(...values) : statement.all(...values)[0]) as Row | undefined;
      });
    },
    async run(sql: string, params: readonly unknown[] = []) {
      return guard(() => prepare(sql).run(...params.map(toParam)).changes);
    },
    transaction: (work) => work(direct),
    stream,
  };
  /**
   * A statement that changes rows commits with the group; one that only reads, and one that
   * must run outside a transaction (a PRAGMA such as wal_checkpoint, VACUUM), runs on its own.
   */
  const inTurn = <T>(sql: string, operation: () => Promise<T>) => {
    let grouped: boolean;
    try {
      grouped = !prepare(sql).readonly && CHANGES_ROWS.test(sql);
    } catch (error) {
      return Promise.reject(error);
    }
    return grouped ? turns.grouped(operation) : turns.alone(operation);
  };
  return {
    dialect: 'sqlite',
    all: (sql, params) => inTurn(sql, () => direct.all(sql, params)),
    get: (sql, params) => inTurn(sql, () => direct.get(sql, params)),
    run: (sql, params) => inTurn(sql, () => direct.run(sql, params)),
    transaction: (work) => turns.grouped(() => work(direct)),
    stream,
  };
}

/** `count` placeholders for a VALUES or IN list: `?, ?, ?`. */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

/**
 * Locks the rows of `table` a SELECT reads until its transaction ends, where the dialect locks
 * rows: PostgreSQL. A SQLite transaction begins IMMEDIATE and so already holds the whole database.
 */
export function forUpdateOf(dialect: Dialect, table: string): string {
  return dialect === 'postgres' ? ` FOR UPDATE OF ${table}` : '';
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
