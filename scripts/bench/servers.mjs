// Portal servers and databases for the benchmark: `node server.mjs` processes on free ports,
// each on a fresh SQLite file or a fresh PostgreSQL schema, stopped again when done.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** Why PostgreSQL cannot be measured, or undefined when it can. */
export async function postgresProblem() {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    return undefined;
  } catch (error) {
    return `no PostgreSQL at ${new URL(POSTGRES_URL).host} (${error.code ?? error.message})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function adminQuery(sql) {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database: `{ url, drop() }`, its DATABASE_URL and how to remove it. */
export async function freshDatabase(kind) {
  if (kind === 'sqlite') {
    const directory = mkdtempSync(join(tmpdir(), 'en-vag-in-bench-'));
    return { url: `sqlite:${join(directory, 'bench.sqlite')}`, drop: async () => rmSync(directory, { recursive: true, force: true }) };
  }
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  await adminQuery(`CREATE SCHEMA ${schema}`);
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.href, drop: () => adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`) };
}

/**
 * Starts `node server.mjs` on `databaseUrl` and resolves once /healthz answers 200. The rate
 * limit is off (a load generator is one client) unless `rateLimit`: then the server has its
 * production default and trusts one proxy, so clients that send an X-Forwarded-For each count
 * as the residents they stand for. `nodeArgs` go to node before the script (e.g. --cpu-prof).
 * Gives the server's `url`, its process id `pid` (for /proc/<pid>/status) and `stop()`.
 */
export async function startPortal(root, databaseUrl, { env = {}, rateLimit = false, nodeArgs = [] } = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const serverEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl, RATE_LIMIT_PER_MINUTE: '0', ASTRO_TELEMETRY_DISABLED: '1', ...env };
  if (rateLimit) {
    delete serverEnv.RATE_LIMIT_PER_MINUTE;
    serverEnv.TRUST_PROXY = '1';
  }
  const child = spawn(process.execPath, [...nodeArgs, 'server.mjs'], {
    cwd: root,
    env: serverEnv,
    // The request log goes to /dev/null: a full pipe nobody reads would stall the server.
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
  for (let attempt = 0; ; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`the portal server exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      if (attempt > 300) throw new Error('the portal server did not start within 30 s');
    }
    await new Promise((wait) => setTimeout(wait, 100));
  }
  return {
    url,
    pid: child.pid,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A process's peak resident memory so far in bytes (VmHWM), or NaN where /proc cannot tell. */
export function peakRss(pid) {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Starts a new peak for peakRss (Linux: 5 to clear_refs); false when the kernel does not let us. */
export function resetPeakRss(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
