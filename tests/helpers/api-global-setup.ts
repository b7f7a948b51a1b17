/**
 * Vitest global setup for the `api` projects: one built portal server for all API test files,
 * on SQLite (project `api`) or PostgreSQL (project `api-postgres`, see
 * api-global-setup-postgres.ts), handed to tests with `inject`.
 */
import type { TestProject } from 'vitest/node';
import type { DatabaseKind } from './database';
import { startServer } from './server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Origin of the server under test, without a trailing slash, e.g. `http://127.0.0.1:41234`. */
    url: string;
    /** That server's DATABASE_URL; open it with `openTestDatabase` from tests/helpers/database. */
    databaseUrl: string;
    /** Which database the server runs on: tests that start servers of their own use the same. */
    databaseKind: DatabaseKind;
  }
}

/** Starts the server on `database` before the API tests and returns the teardown that stops it. */
export async function startApiServer(project: TestProject, database: DatabaseKind): Promise<() => Promise<void>> {
  const server = await startServer({ database });
  project.provide('url', server.url);
  project.provide('databaseUrl', server.databaseUrl);
  project.provide('databaseKind', database);
  return () => server.stop();
}

export default function startSqliteApiServer(project: TestProject): Promise<() => Promise<void>> {
  return startApiServer(project, 'sqlite');
}
