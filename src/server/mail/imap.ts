/**
 * Reads the municipality's mailbox over IMAP (imapflow): every message in it is taken (see
 * inbound.ts) and only then moved to the processed folder, or to the folder for staff when it
 * could not be read. Between rounds the connection waits in IDLE, so new mail is taken at once
 * where the server supports it; it also looks every IMAP_POLL_SECONDS. A lost connection is
 * opened again, waiting longer after each failure.
 */
import { ImapFlow } from 'imapflow';
import { errorKind, logEvent } from '../log';
import type { Services } from '../services';
import { takeInboundMessage, type InboundContext } from './inbound';
import type { MailboxSettings } from './mailbox';

const MAX_RECONNECT_DELAY_MS = 5 * 60_000;
const FIRST_RECONNECT_DELAY_MS = 1_000;

export interface MailboxReader {
  /** Finishes the message in hand, then logs out. */
  stop(): Promise<void>;
}

/** Creates a folder unless the server has it. */
async function ensureFolder(client: ImapFlow, path: string): Promise<void> {
  const folders = await client.list();
  if (!folders.some((folder) => folder.path === path)) await client.mailboxCreate(path);
}

/** Takes every message now in the mailbox, one at a time: a message is moved only once what it became is committed. */
async function takeAll(client: ImapFlow, services: Services, settings: MailboxSettings, context: InboundContext, stopping: () => boolean): Promise<void> {
  const uids = (await client.search({ all: true }, { uid: true })) || [];
  for (const uid of uids) {
    if (stopping()) return;
    const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
    // Gone meanwhile: another instance took and moved it.
    if (!message || !message.source) continue;
    const taken = await takeInboundMessage(services, message.source, context);
    const folder = taken.outcome === 'failed' ? settings.failedFolder : settings.processedFolder;
    logEvent(taken.outcome === 'failed' ? 'warn' : 'info', 'inbound_email', {
      outcome: taken.outcome,
      ...('reference' in taken ? { reference: taken.reference } : {}),
      ...('reason' in taken ? { reason: taken.reason } : {}),
    });
    await client.messageMove(String(uid), folder, { uid: true });
  }
}

/** Starts reading the mailbox in the background. */
export function startMailboxReader(services: Services, settings: MailboxSettings, context: InboundContext): MailboxReader {
  let stopped = false;
  let client: ImapFlow | undefined;
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  let delay = FIRST_RECONNECT_DELAY_MS;
  const session = async () => {
    client = new ImapFlow({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      auth: { user: settings.user, pass: settings.password },
      logger: false,
      // Without IDLE on the server, the connection is kept alive and looked at by NOOP instead.
      missingIdleCommand: 'NOOP',
    });
    const current = client;
    // New mail announced while a round was running: the next round starts at once.
    let announced = false;
    let lost = false;
    current.on('exists', () => {
      announced = true;
      wake?.();
    });
    current.on('close', () => {
      lost = true;
      wake?.();
    });
    current.on('error', (error: unknown) => logEvent('warn', 'imap_error', { error: errorKind(error) }));
    await current.connect();
    await ensureFolder(current, settings.processedFolder);
    await ensureFolder(current, settings.failedFolder);
    await current.mailboxOpen(settings.mailbox);
    logEvent('info', 'imap_connected', { mailbox: settings.mailbox });
    delay = FIRST_RECONNECT_DELAY_MS;
    while (!stopped && !lost) {
      announced = false;
      await takeAll(current, services, settings, context, () => stopped);
      // Meanwhile imapflow idles on its own, and says when new mail arrives.
      if (!announced && !stopped) await pause(settings.pollMs);
    }
  };

  const running = (async () => {
    while (!stopped) {
      try {
        await session();
      } catch (error) {
        logEvent('warn', 'imap_session_failed', { error: errorKind(error), retryInMs: delay });
      } finally {
        await client?.logout().catch(() => client?.close());
      }
      if (stopped) break;
      await pause(delay);
      delay = Math.min(delay * 2, MAX_RECONNECT_DELAY_MS);
    }
  })();

  return {
    async stop() {
      stopped = true;
      wake?.();
      await running;
    },
  };
}
