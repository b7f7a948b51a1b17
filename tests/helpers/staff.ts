/**
 * Staff accounts and signed-in requests for tests: accounts are made with the real CLI
 * (`npm run user:add`), and a small cookie jar carries the session like a browser would.
 */
import { spawnSync } from 'node:child_process';
import { repositoryRoot } from './server';

export const STAFF_PASSWORD = 'ett riktigt långt lösenord';

export function addStaffUser(databaseUrl: string, user: { email: string; name: string; role: string; units?: string[] }): string {
  const result = spawnSync(
    process.execPath,
    ['scripts/user-add.mjs', '--email', user.email, '--name', user.name, '--role', user.role, ...(user.units ?? []).flatMap((unit) => ['--unit', unit])],
    { cwd: repositoryRoot, encoding: 'utf8', env: { ...process.env, DATABASE_URL: databaseUrl, NEW_USER_PASSWORD: STAFF_PASSWORD } },
  );
  if (result.status !== 0) throw new Error(`user:add failed: ${result.stderr}`);
  return result.stdout;
}
