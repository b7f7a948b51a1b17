/**
 * The PostgreSQL the tests use: TEST_POSTGRES_URL, by default the one these machines run at
 * 127.0.0.1:5432 (database `test`). Every server under test gets its own schema in it, so
 * runs never see each other's rows, and the schema is dropped when the server stops.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const POSTGRES_TEST_URL = process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Why PostgreSQL cannot be used for tests, or undefined when it can. */
export async function postgresUnavailableReason(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: POSTGRES_TEST_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    const code = (error as { code?: string }).code;
    return `no PostgreSQL reachable at ${new URL(POSTGRES_TEST_URL).host} (${code ?? (error as Error).message})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A connection URL whose tables live in the schema `schema`. */
export function urlWithSchema(baseUrl: string, schema: string): string {
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.href;
}

/** A fresh, empty schema for one server under test. */
export async function createTestSchema(): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE SCHEMA ${schema}`);
  return { url: urlWithSchema(POSTGRES_TEST_URL, schema), drop: () => run(`DROP SCHEMA IF EXISTS ${schema} CASCADE`) };
}
