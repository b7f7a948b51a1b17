/**
 * Sends the queued e-mail. Messages are queued in the same transaction as what they tell about,
 * so a crash or an SMTP outage delays them but never loses them; each instance takes due ones
 * under a lease, so two instances never send the same message, and failures are tried again
 * later, waiting longer each time.
 */
import type { Store } from '../storage/index';
import { errorKind, logEvent } from '../log';
import type { SendMail } from './transport';

const POLL_INTERVAL_MS = 2_000;
const LEASE_MS = 2 * 60_000;
const BATCH = 10;
const PAUSE_AFTER_STORAGE_FAILURE_MS = 30_000;

/**
 * Every message the portal sends is made by the portal, never typed into a mail program: RFC
 * 3834's `auto-generated`, so vacation responders and ticket systems do not answer it. Not
 * `auto-replied`, which is for a message sent in reply to a received e-mail: ours answer a form,
 * an action on the staff side or the calendar, never an e-mail (the address takes none). A
 * caseworker's reply is written by a person but composed, addressed and sent by the portal
 * from that no-reply address, with a link to answer on the status page, so it is
 * `auto-generated` too.
 */
function automaticMessageHeaders(language: string): Record<string, string> {
  return { 'Auto-Submitted': 'auto-generated', 'Content-Language': language };
}

function retryDelayMs(attempts: number): number {
  return Math.min(60_000 * 2 ** attempts, 6 * 60 * 60_000);
}

export interface MailDelivery {
  /** Looks for due messages now instead of at the next tick (called right after queueing one). */
  nudge(): void;
}

export function startMailDelivery(store: Store, send: SendMail, from: string): MailDelivery {
  let running: Promise<void> | undefined;
  let pausedUntil = 0;
  const deliverDue = async () => {
    const now = new Date();
    if (now.getTime() < pausedUntil || !(await store.hasDueEmails(now))) return;
    for (const email of await store.claimDueEmails(now, BATCH, LEASE_MS)) {
      try {
        await send({ from, to: email.recipient, subject: email.subject, text: email.text, html: email.html, headers: automaticMessageHeaders(email.language) });
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
