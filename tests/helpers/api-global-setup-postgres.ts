/**
 * Global setup of the `api-postgres` project: the same API tests against a server on
 * PostgreSQL. scripts/test.mjs leaves this project out, saying why, when none is reachable.
 */
import type { TestProject } from 'vitest/node';
import { startApiServer } from './api-global-setup';
import { postgresUnavailableReason } from './postgres';

export default async function startPostgresApiServer(project: TestProject): Promise<() => Promise<void>> {
  const reason = await postgresUnavailableReason();
  if (reason !== undefined) throw new Error(`The api-postgres tests need PostgreSQL: ${reason}. Set TEST_POSTGRES_URL or run only --project api.`);
  return startApiServer(project, 'postgres');
}
