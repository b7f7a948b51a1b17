/**
 * A real IMAP server for tests: Debian's Dovecot, started on a free loopback port with its own
 * configuration, a throw-away maildir and one user, and stopped (the pid in base_dir/master.pid)
 * when done. Messages are delivered as a mail server does, by writing them into the user's
 * maildir `new/`; folders are read back over IMAP with imapflow. A proxy can cut the portal off
 * at the moment it moves a message, as a crash would.
 */
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createConnection, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { findFreePort } from './server';

const DOVECOT = '/usr/sbin/dovecot';
/** Dovecot refuses to run mail processes as root: the mailbox belongs to nobody. */
const MAIL_UID = 65534;
const USER = 'kommun';
const PASSWORD = 'hemligt-imap-lösen';

/** Why the Dovecot tests cannot run here, or undefined when they can. */
export function dovecotUnavailableReason(): string | undefined {
  if (!existsSync(DOVECOT)) return 'no Dovecot (install it with: apt-get install -y dovecot-imapd)';
  if (process.getuid?.() !== 0) return 'Dovecot must be started as root here (it drops to uid 65534 for the mailbox)';
  return undefined;
}

export interface TestDovecot {
  /** The IMAP_URL the portal gets: `imap://user:password@127.0.0.1:port/INBOX`. */
  url: string;
  /** Delivers one raw message into the INBOX, as a mail server would. */
  deliver(raw: string | Buffer): void;
  /** The raw messages now in a folder, oldest first (none when the folder does not exist). */
  folder(path: string): Promise<Buffer[]>;
  stop(): Promise<void>;
}

function chownTree(path: string): void {
  chownSync(path, MAIL_UID, MAIL_UID);
}

export async function startDovecot(): Promise<TestDovecot> {
  const directory = mkdtempSync(join(tmpdir(), 'en-vag-in-dovecot-'));
  // The mail processes run as nobody and must reach the maildir inside.
  chmodSync(directory, 0o755);
  const port = await findFreePort();
  const mailRoot = join(directory, 'mail');
  const maildir = join(mailRoot, USER);
  for (const sub of ['', 'new', 'cur', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
  for (const path of [mailRoot, maildir, join(maildir, 'new'), join(maildir, 'cur'), join(maildir, 'tmp')]) chownTree(path);
  writeFileSync(join(directory, 'passwd'), `${USER}:{PLAIN}${PASSWORD}::::::\n`);
  const config = join(directory, 'dovecot.conf');
  writeFileSync(
    config,
    `protocols = imap
listen = 127.0.0.1
base_dir = ${directory}/run
state_dir = ${directory}/state
log_path = ${directory}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${mailRoot}/%u
first_valid_uid = 100
passdb {
  driver = passwd-file
  args = ${directory}/passwd
}
userdb {
  driver = static
  args = uid=${MAIL_UID} gid=${MAIL_UID} home=${maildir}
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
`,
  );
  const pidFile = join(directory, 'run', 'master.pid');
  const startMaster = async () => {
    // The master forks and keeps no pipe open: waiting on its output would hang.
    const child = spawn(DOVECOT, ['-c', config], { stdio: 'ignore' });
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`dovecot exited with ${code}: ${existsSync(join(directory, 'dovecot.log')) ? readFileSync(join(directory, 'dovecot.log'), 'utf8') : ''}`))));
      child.once('error', reject);
    });
  };
  const stopMaster = async () => {
    if (!existsSync(pidFile)) return;
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      return;
    }
    // Gone once signalling it fails.
    for (let waited = 0; waited < 100; waited++) {
      try {
        process.kill(pid, 0);
      } catch {
        return;
      }
      await new Promise((wait) => setTimeout(wait, 100));
    }
  };
  await startMaster();
  const url = `imap://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}/INBOX`;

  const connect = async () => {
    const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user: USER, pass: PASSWORD }, logger: false });
    await client.connect();
    return client;
  };
  // Wait until it accepts a login.
  for (let attempt = 0; ; attempt++) {
    try {
      await (await connect()).logout();
      break;
    } catch (error) {
      if (attempt > 50) throw error;
      await new Promise((wait) => setTimeout(wait, 100));
    }
  }

  let delivered = 0;
  return {
    url,
    deliver(raw) {
      const text = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.replace(/\r?\n/g, '\r\n'), 'utf8');
      const name = `${Date.now()}.${process.pid}_${++delivered}.test`;
      const temporary = join(maildir, 'tmp', name);
      writeFileSync(temporary, text);
      chownTree(temporary);
      // Written in tmp/ and renamed into new/, as Maildir delivery is: the server never sees half a message.
      renameSync(temporary, join(maildir, 'new', name));
    },
    async folder(path) {
      const client = await connect();
      try {
        const exists = (await client.list()).some((folder) => folder.path === path);
        if (!exists) return [];
        await client.mailboxOpen(path);
        const messages: Buffer[] = [];
        for await (const message of client.fetch('1:*', { source: true })) if (message.source) messages.push(message.source);
        return messages;
      } catch (error) {
        // An empty folder answers a fetch of 1:* with nothing at all.
        if (/nothing|empty/i.test(String(error))) return [];
        throw error;
      } finally {
        await client.logout();
      }
    },
    async stop() {
      await stopMaster();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** A way to the IMAP server that cuts a client off at its first move of a message, before the server sees it. */
export interface MoveCuttingProxy {
  port: number;
  /** How many moves it cut off so far. */
  cuts(): number;
  close(): Promise<void>;
}

/**
 * Stands between the portal and the IMAP server and drops the connection when the portal asks to
 * move a message (UID MOVE, or UID COPY where the server has no MOVE): the portal has committed
 * what the message became and the message is still in the INBOX, as a crash between the two leaves it.
 */
export async function startMoveCuttingProxy(imapUrl: string): Promise<MoveCuttingProxy> {
  const target = Number(new URL(imapUrl).port);
  let cut = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection(target, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.on('data', (chunk: Buffer) => {
      if (/ UID (MOVE|COPY) /i.test(chunk.toString('latin1'))) {
        cut++;
        client.destroy();
        upstream.destroy();
        return;
      }
      upstream.write(chunk);
    });
    upstream.pipe(client);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
  return {
    port,
    cuts: () => cut,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
