/**
 * Starts the built portal (`node server.mjs`) as a child process on a free loopback port with
 * its own fresh database (a SQLite file, or a schema of its own in the test PostgreSQL), so
 * API tests exercise exactly what production runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatabaseKind } from './database';
import { createTestSchema } from './postgres';

/** The repository's root directory, where `server.mjs` and `dist/` live. */
export const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** What `startServer` accepts. */
export interface StartServerOptions {
  /** Extra environment variables for the server; they override the ones `startServer` sets. */
  env?: Record<string, string>;
  /** Which database the server gets a fresh one of (default sqlite). */
  database?: DatabaseKind;
  /** An existing database to use instead, e.g. another server's: it is neither created nor removed. */
  databaseUrl?: string;
}

/** A running portal server. */
export interface RunningServer {
  /** The server's origin without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** The server's DATABASE_URL. */
  databaseUrl: string;
  /** The SQLite file the server stores into, when it runs on SQLite. */
  databasePath: string;
  /** What the server has written to stdout and stderr (its last 200,000 characters). */
  output(): string;
  /** Stops the server (SIGTERM, then SIGKILL if it lingers) and deletes its temp directory. */
  stop(): Promise<void>;
  /** The server's child process, for tests that need to signal or watch it themselves. */
  process: ChildProcess;
}

/**
 * Every test server takes SMS, as a deployment with every channel does, with this webhook
 * secret; its gateway is nowhere (connection refused) unless a test gives its own.
 */
export const TEST_SMS_WEBHOOK_SECRET = 'test-sms-webhook-secret';
const SMS_SETTINGS = {
  SMS_GATEWAY_URL: 'http://127.0.0.1:9',
  SMS_GATEWAY_USER: 'test',
  SMS_GATEWAY_PASSWORD: 'test',
  SMS_FROM: 'Varmdo',
  SMS_WEBHOOK_SECRET: TEST_SMS_WEBHOOK_SECRET,
};

const STARTUP_TIMEOUT_MS = 30_000;
const HEALTH_POLL_INTERVAL_MS = 100;
const SHUTDOWN_GRACE_MS = 5_000;
/** Enough of the server's output to explain a failed start without holding a long log in memory. */
const MAX_CAPTURED_OUTPUT_CHARS = 200_000;

export async function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address !== null && typeof address === 'object') resolvePort(address.port);
        else reject(new Error('could not determine a free port'));
      });
    });
  });
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (hasExited(child)) return true;
  return new Promise((resolveExited) => {
    const timer = setTimeout(() => resolveExited(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveExited(true);
    });
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return;
  child.kill('SIGTERM');
  if (await waitForExit(child, SHUTDOWN_GRACE_MS)) return;
  child.kill('SIGKILL');
  await waitForExit(child, SHUTDOWN_GRACE_MS);
}

async function isHealthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
    // Read the body to the end: a cancelled body leaves the keep-alive socket busy, and the
    // server's graceful close then waits for the client to drop it (about 3 s).
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    // Not listening yet (connection refused) or too slow to answer: keep polling.
    return false;
  }
}

/**
 * Starts `node server.mjs` from the repository root on 127.0.0.1 with a fresh SQLite database,
 * and resolves once `GET /healthz` answers 200. Rejects, with the server's output, if the
 * server exits or is not healthy within 30 s. Requires a prior `npm run build`.
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  if (!existsSync(join(repositoryRoot, 'dist/server/entry.mjs'))) {
    throw new Error('dist/server/entry.mjs is missing: run npm run build first');
  }

  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDirectory = mkdtempSync(join(tmpdir(), 'en-vag-in-test-'));
  const schema = options.databaseUrl === undefined && options.database === 'postgres' ? await createTestSchema() : undefined;
  const databaseUrl = options.databaseUrl ?? schema?.url ?? `sqlite:${join(dataDirectory, 'portal.sqlite')}`;
  const databasePath = databaseUrl.startsWith('sqlite:') ? databaseUrl.slice('sqlite:'.length) : '';

  const child = spawn(process.execPath, ['server.mjs'], {
    cwd: repositoryRoot,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      ASTRO_TELEMETRY_DISABLED: '1',
      // Tests send many posts from one address; the rate-limit test turns the limit on itself.
      RATE_LIMIT_PER_MINUTE: '0',
      MAIL_DIRECTORY: join(dataDirectory, 'mail'),
      ...SMS_SETTINGS,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  let output = '';
  const capture = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-MAX_CAPTURED_OUTPUT_CHARS);
  };
  child.stdout?.on('data', capture);
  child.stderr?.on('data', capture);

  // A test runner that dies without calling stop() must not leave a server holding the port.
  const killOnParentExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnParentExit);

  const stop = async (): Promise<void> => {
    await stopProcess(child);
    process.removeListener('exit', killOnParentExit);
    rmSync(dataDirectory, { recursive: true, force: true });
    await schema?.drop();
  };

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (!(await isHealthy(url))) {
    const problem = hasExited(child)
      ? `exited with ${child.exitCode !== null ? `code ${child.exitCode}` : `signal ${child.signalCode}`}`
      : Date.now() > deadline
        ? `did not answer 200 on ${url}/healthz within ${STARTUP_TIMEOUT_MS / 1000} s`
        : undefined;
    if (problem !== undefined) {
      await stop();
      throw new Error(`the portal server ${problem}. Its output:\n${output || '(none)'}`);
    }
    await new Promise((wait) => setTimeout(wait, HEALTH_POLL_INTERVAL_MS));
  }

  return { url, databaseUrl, databasePath, stop, process: child, output: () => output };
}
