/**
 * Direct access to what the portal stored, for tests that check the rows themselves: the
 * end-to-end server's SQLite file, or any server's database by its DATABASE_URL.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The SQLite file the end-to-end server (started by playwright.config.ts) stores into. Its
 * directory is wiped before every Playwright run, so each run starts from an empty database.
 */
export const e2eDatabasePath = join(
  resolve(dirname(fileURLToPath(import.meta.url)), '../..'),
  'test-results/e2e/e2e.sqlite',
);

/**
 * Opens the SQLite database at `path` read-only, so a test can query it while the server keeps
 * writing (WAL mode lets a reader run beside the writer). Close it when done.
 */
export function openDatabase(path: string): Database.Database {
  return new Database(path, { readonly: true, fileMustExist: true });
}

export type DatabaseKind = 'sqlite' | 'postgres';

export function databaseKindOf(databaseUrl: string): DatabaseKind {
  return databaseUrl.startsWith('sqlite:') ? 'sqlite' : 'postgres';
}

/** A connection to a server's database that speaks one SQL for both kinds. */
export interface TestDatabase {
  kind: DatabaseKind;
  /**
   * Runs `sql` with `?` placeholders. Rows come back the same from both databases: times as
   * ISO strings, JSON columns as JSON text, ids as numbers.
   */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** The SQL for "the text at `key` of the JSON column `column`". */
  jsonText(column: string, key: string): string;
  close(): Promise<void>;
}

function normalizeRow(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([name, value]) => {
      if (value instanceof Date) return [name, value.toISOString()];
      if (name === 'id' && typeof value === 'string') return [name, Number(value)];
      if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) return [name, JSON.stringify(value)];
      return [name, value];
    }),
  );
}

export async function openTestDatabase(databaseUrl: string): Promise<TestDatabase> {
  if (databaseKindOf(databaseUrl) === 'sqlite') {
    const db = new Database(databaseUrl.slice('sqlite:'.length), { fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    return {
      kind: 'sqlite',
      async query<Row>(sql: string, params: unknown[] = []) {
        const statement = db.prepare(sql);
        return (statement.reader ? statement.all(...params) : (statement.run(...params), [])) as Row[];
      },
      jsonText: (column, key) => `json_extract(${column}, '$.${key}')`,
      async close() {
        db.close();
      },
    };
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  return {
    kind: 'postgres',
    async query<Row>(sql: string, params: unknown[] = []) {
      let index = 0;
      const result = await client.query(sql.replace(/\?/g, () => `$${++index}`), params);
      return result.rows.map(normalizeRow) as Row[];
    },
    jsonText: (column, key) => `${column}->>'${key}'`,
    async close() {
      await client.end();
    },
  };
}
