/**
 * Sends the queued e-mail. Messages are queued in the same transaction as what they tell about,
 * so a crash or an SMTP outage delays them but never loses them; each instance takes due ones
 * under a lease, so two instances never send the same message, and failures are tried again
 * later, waiting longer each time.
 */
import type { Store } from '../storage/index';
import type { QueuedEmail } from '../storage/cases';
import { errorKind, logEvent } from '../log';
import { addressOf, messageIdOf, threadSubject } from './mailbox';
import type { MailMessage, SendMail } from './transport';

const POLL_INTERVAL_MS = 2_000;
const LEASE_MS = 2 * 60_000;
const BATCH = 10;
const PAUSE_AFTER_STORAGE_FAILURE_MS = 30_000;

/**
 * How a message says who wrote it (RFC 3834 Auto-Submitted) and what it answers. Without mail
 * read from the mailbox, every message is made by the portal from an address that takes no
 * answers: `auto-generated`, so vacation responders and ticket systems leave it alone (a
 * caseworker's reply too: composed, addressed and sent by the portal, answered on the status page).
 * With the mailbox read, the address takes answers: the acknowledgement of an e-mail is an
 * automatic answer to it, `auto-replied`; a caseworker's reply is written by a person and carries
 * no Auto-Submitted, like any reply from a mail program. A responder that answers it marks its
 * own answer as automatic, and the intake leaves such mail alone, so no loop can start.
 * Messages in an e-mail errand's thread answer the person's last message (In-Reply-To,
 * References) under their subject with the reference, so their mail program threads them.
 */
async function outgoingMessage(store: Store, email: QueuedEmail, from: string, answersWelcome: boolean): Promise<MailMessage> {
  const thread = email.submissionId === null ? undefined : await store.emailThread(email.submissionId);
  const inThread = thread !== undefined && addressOf(thread.sender) === addressOf(email.recipient) && thread.messageIds.length > 0;
  const autoSubmitted = !answersWelcome ? 'auto-generated' : email.writtenByPerson ? undefined : inThread ? 'auto-replied' : 'auto-generated';
  return {
    from,
    to: email.recipient,
    subject: inThread ? threadSubject(thread.subject, thread.reference) : email.subject,
    text: email.text,
    html: email.html,
    messageId: messageIdOf(email.messageToken, from),
    headers: {
      ...(autoSubmitted ? { 'Auto-Submitted': autoSubmitted } : {}),
      'Content-Language': email.language,
      ...(inThread ? { 'In-Reply-To': thread.messageIds.at(-1)!, References: thread.messageIds.join(' ') } : {}),
    },
  };
}

function retryDelayMs(attempts: number): number {
  return Math.min(60_000 * 2 ** attempts, 6 * 60 * 60_000);
}

export interface MailDelivery {
  /** Looks for due messages now instead of at the next tick (called right after queueing one). */
  nudge(): void;
}

/** Sends as `from`; `answersWelcome` when the portal reads that address's mailbox. */
export function startMailDelivery(store: Store, send: SendMail, from: string, answersWelcome: boolean): MailDelivery {
  let running: Promise<void> | undefined;
  let pausedUntil = 0;
  const deliverDue = async () => {
    const now = new Date();
    if (now.getTime() < pausedUntil || !(await store.hasDueEmails(now))) return;
    for (const email of await store.claimDueEmails(now, BATCH, LEASE_MS)) {
      try {
        await send(await outgoingMessage(store, email, from, answersWelcome));
        await store.markEmailSent(email.id, new Date());
        logEvent('info', 'email_sent', { emailId: email.id });
      } catch (error) {
        await store.markEmailFailed(email.id, errorKind(error), new Date(Date.now() + retryDelayMs(email.attempts)));
        logEvent('warn', 'email_failed', { emailId: email.id, attempts: email.attempts + 1, error: errorKind(error) });
      }
    }
  };
  const tick = () => {
    running ??= deliverDue()
      .catch((error: unknown) => {
        // Storage is down or locked: try again later rather than queueing behind it every tick.
        pausedUntil = Date.now() + PAUSE_AFTER_STORAGE_FAILURE_MS;
        logEvent('warn', 'email_delivery_paused', { error: errorKind(error) });
      })
      .finally(() => {
        running = undefined;
      });
  };
  setInterval(tick, POLL_INTERVAL_MS).unref();
  return { nudge: () => setTimeout(tick, 0) };
}
