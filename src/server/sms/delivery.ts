/**
 * Sends the queued SMS through the gateway, on the delivery loop every outgoing queue shares: a
 * gateway that is down, busy or unreachable delays an SMS, and one it refuses for good is marked
 * so (staff see it on the errand) and not tried again.
 */
import type { Store } from '../storage/index';
import { logEvent } from '../log';
import { DELIVERY_BATCH, DELIVERY_LEASE_MS, nextAttemptAfterFailure, startDeliveryLoop, type Delivery } from '../delivery-loop';
import { sendThroughGateway, type SmsSettings } from './gateway';

/** Without SMS settings nothing is ever queued, and there is nothing to send. */
export function startSmsDelivery(store: Store, settings: SmsSettings | undefined): Delivery {
  if (!settings) return { nudge: () => undefined };
  return startDeliveryLoop('sms', async (now) => {
    if (!(await store.hasDueSms(now))) return;
    for (const sms of await store.claimDueSms(now, DELIVERY_BATCH, DELIVERY_LEASE_MS)) {
      const outcome = await sendThroughGateway(settings, sms);
      const attempts = sms.attempts + 1;
      if (outcome.kind === 'sent') {
        await store.markSmsSent(sms.id, outcome.gatewayId, new Date());
        logEvent('info', 'sms_sent', { smsId: sms.id });
      } else if (outcome.kind === 'retry') {
        await store.markSmsRetry(sms.id, outcome.error, nextAttemptAfterFailure(sms.attempts));
        logEvent('warn', 'sms_failed', { smsId: sms.id, attempts, error: outcome.error });
      } else {
        await store.markSmsUndeliverable(sms.id, outcome.error, new Date());
        // Not the gateway's words: they may repeat the number.
        logEvent('warn', 'sms_undeliverable', { smsId: sms.id, attempts, error: outcome.error.split(':')[0] });
      }
    }
  });
}
