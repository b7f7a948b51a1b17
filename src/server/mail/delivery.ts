/**
 * Sends the queued e-mail through the delivery loop every outgoing queue shares: a crash or an
 * SMTP outage delays a message but never loses it, and two instances never send the same one.
 */
import type { Store } from '../storage/index';
import { errorKind, logEvent } from '../log';
import { DELIVERY_BATCH, DELIVERY_LEASE_MS, nextAttemptAfterFailure, startDeliveryLoop, type Delivery } from '../delivery-loop';
import type { SendMail } from './transport';

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

export type MailDelivery = Delivery;

export function startMailDelivery(store: Store, send: SendMail, from: string): MailDelivery {
  return startDeliveryLoop('email', async (now) => {
    if (!(await store.hasDueEmails(now))) return;
    for (const email of await store.claimDueEmails(now, DELIVERY_BATCH, DELIVERY_LEASE_MS)) {
      try {
        await send({ from, to: email.recipient, subject: email.subject, text: email.text, html: email.html, headers: automaticMessageHeaders(email.language) });
        await store.markEmailSent(email.id, new Date());
        logEvent('info', 'email_sent', { emailId: email.id });
      } catch (error) {
        await store.markEmailFailed(email.id, errorKind(error), nextAttemptAfterFailure(email.attempts));
        logEvent('warn', 'email_failed', { emailId: email.id, attempts: email.attempts + 1, error: errorKind(error) });
      }
    }
  });
}
