/**
 * The outbox as this form shows it: what of its errand type waits and what has been delivered,
 * whether the device is online, and delivery whenever it may succeed — on opening the page, when
 * the connection returns, and when the server said it could take it again.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Delivery, OutboxItem } from '../../client/database';
import { cancel, deliveries, dismissDelivery, flushOutbox, onOutboxChange, OUTBOX_SYNC_TAG, pendingItems, retryDelay } from '../../client/outbox';
import type { ErrandType } from '../../lib/intake/schema';

interface BackgroundSyncRegistration extends ServiceWorkerRegistration {
  sync?: { register(tag: string): Promise<void> };
}

/** Asks the service worker to deliver the outbox when the connection returns, where the browser can. */
async function requestBackgroundSync(): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  const registration = (await navigator.serviceWorker.getRegistration()) as BackgroundSyncRegistration | undefined;
  await registration?.sync?.register(OUTBOX_SYNC_TAG).catch(() => undefined);
}

export function useOutbox(type: ErrandType) {
  const [online, setOnline] = useState(true);
  const [pending, setPending] = useState<OutboxItem[]>([]);
  const [delivered, setDelivered] = useState<Delivery[]>([]);

  const refresh = async () => {
    setPending((await pendingItems()).filter((item) => item.type === type));
    setDelivered((await deliveries()).filter((delivery) => delivery.type === type));
  };
  // While the server cannot take what waits (storage down, too many requests), the page tries
  // again when the server said it could, without anyone pressing anything.
  const retryTimer = useRef<number | undefined>(undefined);
  const deliverLater = (delayMs: number) => {
    clearTimeout(retryTimer.current);
    retryTimer.current = window.setTimeout(() => void deliver(), delayMs);
  };
  const deliver = async () => {
    const { retryAfterMs } = await flushOutbox();
    await refresh();
    if (retryAfterMs !== undefined) deliverLater(retryAfterMs);
  };

  useEffect(() => {
    void deliver();
    setOnline(navigator.onLine);
    const onOnline = () => {
      setOnline(true);
      void deliver();
    };
    const onOffline = () => setOnline(false);
    addEventListener('online', onOnline);
    addEventListener('offline', onOffline);
    const stopListening = onOutboxChange(() => void refresh());
    return () => {
      removeEventListener('online', onOnline);
      removeEventListener('offline', onOffline);
      stopListening();
      clearTimeout(retryTimer.current);
    };
  }, []);

  /** After a submission was queued: shows it waiting and arranges its delivery, `refused` saying when the server wants it again. */
  const deliverWhenPossible = async (refused?: Response) => {
    await refresh();
    await requestBackgroundSync();
    deliverLater(retryDelay(refused));
  };

  return {
    online,
    pending,
    delivered,
    deliverWhenPossible,
    cancel: (id: string) => void cancel(id).then(refresh),
    dismiss: (id: string) => void dismissDelivery(id).then(refresh),
  };
}

export type OutboxState = ReturnType<typeof useOutbox>;
