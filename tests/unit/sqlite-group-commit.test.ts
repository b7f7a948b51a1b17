/**
 * Group commit on SQLite: transactions that wait together share one BEGIN … COMMIT, each in a
 * savepoint of its own, on a real database file.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteTurns, sqliteSql, type Sql } from '../../src/server/storage/sql';

let directory: string;
let db: Database.Database;
let sql: Sql;
let commits: number;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'group-commit-'));
  db = new Database(join(directory, 'group.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.exec(`CREATE TABLE parents (id INTEGER PRIMARY KEY);
           CREATE TABLE children (id INTEGER PRIMARY KEY, name TEXT NOT NULL, parent_id INTEGER REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED)`);
  // Counts the commits that reach the file, to see that the transactions shared one.
  const exec = db.exec.bind(db);
  commits = 0;
  db.exec = (source: string) => {
    if (source === 'COMMIT') commits += 1;
    return exec(source);
  };
  // These tests never stream: a long read on the worker is not what group commit is about.
  const noStream = () => {
    throw new Error('not streamed here');
  };
  sql = sqliteSql(db, createSqliteTurns(db, (operation) => operation()), (operation) => operation(), noStream);
});

afterEach(() => {
  db.close();
  rmSync(directory, { recursive: true, force: true });
});

const insert = (name: string, parentId: number | null = null) =>
  sql.transaction(async (tx) => {
    await tx.run('INSERT INTO children (name, parent_id) VALUES (?, ?)', [name, parentId]);
    return name;
  });
const stored = () => db.prepare('SELECT name FROM children ORDER BY id').pluck().all();

describe('SQLite transactions waiting together', () => {
  it('commit once, and one that throws rolls back only itself', async () => {
    const results = await Promise.allSettled([
      insert('first'),
      sql.transaction(async (tx) => {
        await tx.run('INSERT INTO children (name) VALUES (?)', ['thrown']);
        throw new Error('this one changed its mind');
      }),
      insert('third'),
      sql.run('INSERT INTO children (name) VALUES (?)', ['fourth']),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(stored()).toEqual(['first', 'third', 'fourth']);
    expect(commits).toBe(1);
  });

  it('are all refused when their shared COMMIT fails, and none is stored', async () => {
    // The orphan passes its own statement (its key is checked only at COMMIT) and fails the commit.
    const results = await Promise.allSettled([insert('first'), insert('orphan', 42), insert('third')]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(stored()).toEqual([]);
    // The connection is usable again afterwards.
    await expect(insert('later')).resolves.toBe('later');
    expect(stored()).toEqual(['later']);
  });

  it('leave a statement that must run outside a transaction (a WAL checkpoint) to run on its own', async () => {
    const [, checkpoint] = await Promise.all([insert('before'), sql.get<{ busy: number }>('PRAGMA wal_checkpoint(TRUNCATE)'), insert('after')]);
    expect(checkpoint).toMatchObject({ busy: 0 });
    expect(stored()).toEqual(['before', 'after']);
  });

  it('resolve only after the COMMIT that holds their writes', async () => {
    const seenOnDisk: unknown[] = [];
    const reader = new Database(join(directory, 'group.sqlite'), { readonly: true });
    try {
      await Promise.all(
        ['a', 'b'].map((name) =>
          insert(name).then(() => seenOnDisk.push(reader.prepare('SELECT count(*) FROM children WHERE name = ?').pluck().get(name))),
        ),
      );
    } finally {
      reader.close();
    }
    expect(seenOnDisk).toEqual([1, 1]);
  });
});
