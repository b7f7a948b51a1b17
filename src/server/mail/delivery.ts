/**
 * Sends the queued e-mail through the delivery loop every outgoing queue shares: a crash or an
 * SMTP outage delays a message but never loses it, and two instances never send the same one.
 */
import type { Store } from '../storage/index';
import type { QueuedEmail } from '../storage/cases';
import { errorKind, logEvent } from '../log';
import { DELIVERY_BATCH, DELIVERY_LEASE_MS, nextAttemptAfterFailure, startDeliveryLoop, type Delivery } from '../delivery-loop';
import { addressOf, messageIdOf, threadSubject } from './mailbox';
import type { MailMessage, SendMail } from './transport';

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

export type MailDelivery = Delivery;

/** Sends as `from`; `answersWelcome` when the portal reads that address's mailbox. */
export function startMailDelivery(store: Store, send: SendMail, from: string, answersWelcome: boolean): MailDelivery {
  return startDeliveryLoop('email', async (now) => {
    if (!(await store.hasDueEmails(now))) return;
    for (const email of await store.claimDueEmails(now, DELIVERY_BATCH, DELIVERY_LEASE_MS)) {
      try {
        await send(await outgoingMessage(store, email, from, answersWelcome));
        await store.markEmailSent(email.id, new Date());
        logEvent('info', 'email_sent', { emailId: email.id });
      } catch (error) {
        await store.markEmailFailed(email.id, errorKind(error), nextAttemptAfterFailure(email.attempts));
        logEvent('warn', 'email_failed', { emailId: email.id, attempts: email.attempts + 1, error: errorKind(error) });
      }
    }
  });
}
