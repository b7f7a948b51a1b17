/**
 * Vitest global setup for the `api` project: one built portal server for all API test files,
 * handed to tests with `inject('url')` and `inject('databasePath')`.
 */
import type { TestProject } from 'vitest/node';
import { startServer } from './server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Origin of the server under test, without a trailing slash, e.g. `http://127.0.0.1:41234`. */
    url: string;
    /** Absolute path of that server's SQLite file; open it with `openDatabase` from tests/helpers/database. */
    databasePath: string;
  }
}

/** Starts the server before the API tests and returns the teardown that stops it. */
export default async function startApiServer(project: TestProject): Promise<() => Promise<void>> {
  const server = await startServer();
  project.provide('url', server.url);
  project.provide('databasePath', server.databasePath);
  return () => server.stop();
}
