/**
 * The loop that sends what an outgoing queue holds (e-mail, SMS). Messages are queued in the
 * same transaction as what they tell about, so a crash or an outage delays them but never loses
 * them; each instance takes due ones under a lease, so two instances never send the same one,
 * and failures are tried again later, waiting longer each time.
 */
import { errorKind, logEvent } from './log';

const POLL_INTERVAL_MS = 2_000;
const PAUSE_AFTER_STORAGE_FAILURE_MS = 30_000;
/** How long a taken message is another instance's to leave alone. */
export const DELIVERY_LEASE_MS = 2 * 60_000;
/** How many due messages one round takes. */
export const DELIVERY_BATCH = 10;

/** The wait before the first retry; DELIVERY_RETRY_BASE_MS shortens it where a test waits for a retry. */
function retryBaseMs(): number {
  const configured = Number(process.env['DELIVERY_RETRY_BASE_MS'] ?? 60_000);
  return Number.isFinite(configured) && configured > 0 ? configured : 60_000;
}

/** When a message that failed `attempts` times before is tried again: doubling, at most six hours. */
export function nextAttemptAfterFailure(attempts: number, now = Date.now()): Date {
  return new Date(now + Math.min(retryBaseMs() * 2 ** attempts, 6 * 60 * 60_000));
}

export interface Delivery {
  /** Looks for due messages now instead of at the next tick (called right after queueing one). */
  nudge(): void;
}

/**
 * Runs `deliverDue` every couple of seconds and when nudged, one round at a time in this
 * process. A round that fails (storage down or locked) pauses the loop for a while rather than
 * queueing behind it every tick; `${name}_delivery_paused` is logged.
 */
export function startDeliveryLoop(name: string, deliverDue: (now: Date) => Promise<void>): Delivery {
  let running: Promise<void> | undefined;
  let pausedUntil = 0;
  const tick = () => {
    if (Date.now() < pausedUntil) return;
    running ??= deliverDue(new Date())
      .catch((error: unknown) => {
        pausedUntil = Date.now() + PAUSE_AFTER_STORAGE_FAILURE_MS;
        logEvent('warn', `${name}_delivery_paused`, { error: errorKind(error) });
      })
      .finally(() => {
        running = undefined;
      });
  };
  setInterval(tick, POLL_INTERVAL_MS).unref();
  return { nudge: () => setTimeout(tick, 0) };
}
