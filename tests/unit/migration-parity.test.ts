/**
 * The one migration list must give both databases the same schema: this migrates a fresh SQLite
 * file and a fresh PostgreSQL database through the stores' own runners and compares what they
 * end with — tables, columns (name, nullability, a type family), indexes (columns, uniqueness,
 * partial predicate) and constraints (primary keys, unique keys, foreign keys, checks by column).
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../src/server/storage/postgres';
import { openSqliteStore } from '../../src/server/storage/sqlite';
import { POSTGRES_TEST_URL, postgresUnavailableReason } from '../helpers/postgres';

interface Table {
  /** name → "family, null | not null" */
  columns: Record<string, string>;
  primaryKey: string[];
  /** Each unique key's columns, joined by commas, sorted. */
  uniqueKeys: string[];
  /** "column → table.column", sorted. */
  foreignKeys: string[];
  /** The columns each CHECK reads, joined by commas, sorted. */
  checks: string[];
  /** Index name → "unique? columns [where predicate]" for every index made by CREATE INDEX. */
  indexes: Record<string, string>;
}
type Schema = Record<string, Table>;

const families: Record<string, string> = {
  integer: 'integer',
  bigint: 'integer',
  text: 'text',
  'timestamp with time zone': 'text',
  jsonb: 'text',
  blob: 'bytes',
  bytea: 'bytes',
};
function family(type: string): string {
  const found = families[type.toLowerCase()];
  if (!found) throw new Error(`no type family for ${type}: add it to the parity test`);
  return found;
}

/**
 * A partial index's predicate without spacing and brackets, and with PostgreSQL's rewriting of
 * `x IN ('a', 'b')` as `x = ANY (ARRAY['a'::text, 'b'::text])` undone.
 */
const predicate = (sql: string | null) =>
  sql
    ? ` where ${sql
        .toLowerCase()
        .replace(/\s*=\s*any\s*\(\s*array\[([^\]]*)\]\s*\)/g, (_, list: string) => ` in (${list.replace(/::text/g, '')})`)
        .replace(/[()\s]/g, '')}`
    : '';
const indexText = (unique: boolean, columns: string[], where: string | null) => `${unique ? 'unique ' : ''}(${columns.join(', ')})${predicate(where)}`;

/** The text of each CHECK (…) in a CREATE TABLE statement, parentheses balanced. */
function checkExpressions(createTable: string): string[] {
  const found: string[] = [];
  for (const match of createTable.matchAll(/\bCHECK\s*\(/gi)) {
    let depth = 1;
    let end = match.index + match[0].length;
    for (; end < createTable.length && depth > 0; end += 1) depth += createTable[end] === '(' ? 1 : createTable[end] === ')' ? -1 : 0;
    found.push(createTable.slice(match.index + match[0].length, end - 1));
  }
  return found;
}

function sqliteSchema(path: string): Schema {
  const db = new Database(path, { readonly: true });
  try {
    const schema: Schema = {};
    const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string; sql: string }[];
    for (const { name, sql } of tables) {
      const info = db.pragma(`table_info(${name})`) as { name: string; type: string; notnull: number; pk: number }[];
      const columnNames = info.map((column) => column.name);
      const indexList = db.pragma(`index_list(${name})`) as { name: string; unique: number; origin: string; partial: number }[];
      const keyColumns = (index: string) =>
        (db.pragma(`index_xinfo(${index})`) as { name: string | null; key: number; seqno: number }[])
          .filter((column) => column.key === 1)
          .sort((a, b) => a.seqno - b.seqno)
          .map((column) => column.name ?? '?');
      const indexes: Record<string, string> = {};
      for (const index of indexList.filter((entry) => entry.origin === 'c')) {
        const indexSql = (db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?").get(index.name) as { sql: string }).sql;
        indexes[index.name] = indexText(index.unique === 1, keyColumns(index.name), index.partial ? indexSql.replace(/^[\s\S]*?\bWHERE\b/i, '') : null);
      }
      schema[name] = {
        // An INTEGER PRIMARY KEY is the rowid: never null, though SQLite does not mark it so.
        columns: Object.fromEntries(info.map((column) => [column.name, `${family(column.type)}, ${column.notnull || column.pk ? 'not null' : 'null'}`])),
        primaryKey: info
          .filter((column) => column.pk > 0)
          .sort((a, b) => a.pk - b.pk)
          .map((column) => column.name),
        uniqueKeys: indexList
          .filter((entry) => entry.origin === 'u')
          .map((entry) => keyColumns(entry.name).sort().join(','))
          .sort(),
        foreignKeys: (db.pragma(`foreign_key_list(${name})`) as { table: string; from: string; to: string }[]).map((key) => `${key.from} → ${key.table}.${key.to}`).sort(),
        checks: checkExpressions(sql)
          .map((expression) =>
            columnNames
              .filter((column) => new RegExp(`\\b${column}\\b`).test(expression))
              .sort()
              .join(','),
          )
          .sort(),
        indexes,
      };
    }
    return schema;
  } finally {
    db.close();
  }
}

async function postgresSchema(client: pg.Client): Promise<Schema> {
  const schema: Schema = {};
  const columns = await client.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>(
    "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position",
  );
  for (const column of columns.rows) {
    const table = (schema[column.table_name] ??= { columns: {}, primaryKey: [], uniqueKeys: [], foreignKeys: [], checks: [], indexes: {} });
    table.columns[column.column_name] = `${family(column.data_type)}, ${column.is_nullable === 'YES' ? 'null' : 'not null'}`;
  }
  const constraints = await client.query<{ table_name: string; contype: string; columns: string[]; target: string | null; target_columns: string[] | null }>(
    `SELECT c.conrelid::regclass::text AS table_name, c.contype,
            ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) AS columns,
            c.confrelid::regclass::text AS target,
            ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i) AS target_columns
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE n.nspname = 'public' AND c.contype IN ('p', 'u', 'f', 'c')`,
  );
  for (const constraint of constraints.rows) {
    const table = schema[constraint.table_name];
    if (!table) throw new Error(`a constraint on ${constraint.table_name}, which has no columns`);
    if (constraint.contype === 'p') table.primaryKey = constraint.columns;
    if (constraint.contype === 'u') table.uniqueKeys.push([...constraint.columns].sort().join(','));
    if (constraint.contype === 'f') table.foreignKeys.push(`${constraint.columns.join(',')} → ${constraint.target}.${(constraint.target_columns ?? []).join(',')}`);
    if (constraint.contype === 'c') table.checks.push([...constraint.columns].sort().join(','));
  }
  const indexes = await client.query<{ table_name: string; name: string; unique: boolean; keys: string[]; included: string[]; predicate: string | null }>(
    `SELECT t.relname AS table_name, i.relname AS name, x.indisunique AS unique,
            ARRAY(SELECT a.attname::text FROM unnest(x.indkey[0:x.indnkeyatts - 1]) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n ORDER BY k.o) AS keys,
            ARRAY(SELECT a.attname::text FROM unnest(x.indkey[x.indnkeyatts:]) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n ORDER BY k.o) AS included,
            pg_get_expr(x.indpred, x.indrelid) AS predicate
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`,
  );
  for (const index of indexes.rows) {
    const table = schema[index.table_name]!;
    // Columns an index only carries beside its key (INCLUDE) count as trailing columns; the
    // serial key among them is what every SQLite index holds anyway (the rowid).
    const carried = index.included.filter((column) => !(table.primaryKey.length === 1 && table.primaryKey[0] === column));
    table.indexes[index.name] = indexText(index.unique, [...index.keys, ...carried], index.predicate);
  }
  for (const table of Object.values(schema)) {
    table.uniqueKeys.sort();
    table.foreignKeys.sort();
    table.checks.sort();
  }
  return schema;
}

const unavailable = await postgresUnavailableReason();
if (unavailable) console.warn(`migration parity: PostgreSQL skipped — ${unavailable}`);

describe.skipIf(unavailable !== undefined)('the one migration list', () => {
  const directory = mkdtempSync(join(tmpdir(), 'migration-parity-'));
  const database = `migration_parity_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_TEST_URL });
  let sqlite: Schema;
  let postgres: Schema;

  beforeAll(async () => {
    const path = join(directory, 'parity.sqlite');
    await openSqliteStore(path).close();
    sqlite = sqliteSchema(path);

    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    const url = new URL(POSTGRES_TEST_URL);
    url.pathname = `/${database}`;
    await (await openPostgresStore(url.href)).close();
    const client = new pg.Client({ connectionString: url.href });
    await client.connect();
    try {
      postgres = await postgresSchema(client);
    } finally {
      await client.end();
    }
  });

  afterAll(async () => {
    rmSync(directory, { recursive: true, force: true });
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  });

  it('gives SQLite and PostgreSQL the same tables', () => {
    expect(Object.keys(postgres).sort()).toEqual(Object.keys(sqlite).sort());
    expect(Object.keys(sqlite)).toContain('submissions');
  });

  it('gives every table the same columns, keys, checks and indexes in both', () => {
    for (const name of Object.keys(sqlite)) expect({ table: name, ...postgres[name] }).toEqual({ table: name, ...sqlite[name] });
  });
});
