/**
 * What waits in the outbox and what it has delivered: a submission saved while offline is
 * listed (and can be cancelled) until it is sent; then its reference number is shown.
 */
import type { Delivery, OutboxItem } from '../../client/database';

interface OutboxPanelProps {
  pending: readonly OutboxItem[];
  delivered: readonly Delivery[];
  tr: (key: string, values?: Record<string, string | number>) => string;
  formatTime: (iso: string) => string;
  onCancel: (id: string) => void;
  onDismiss: (id: string) => void;
  /** Whether the device has a connection: if so, it is the server that cannot take the errand now. */
  online: boolean;
}

export function OutboxPanel({ pending, delivered, tr, formatTime, onCancel, onDismiss, online }: OutboxPanelProps) {
  return (
    <div role="status" class="outbox js-only">
      {delivered.map((delivery) => (
        <div class="notice notice--success" key={delivery.id}>
          <p>
            {tr('outbox.delivered', { errand: tr(`errand.${delivery.type}.name`) })}{' '}
            {/* Preact types `translate` as a boolean; false renders translate="no", so the number is never machine-translated. */}
            <strong class="reference" translate={false}>
              {delivery.reference}
            </strong>
          </p>
          <div class="button-group">
            <a href={delivery.statusUrl.replace('/arende/', '/kvitto/')}>{tr('outbox.receiptLink')}</a>
            <button type="button" class="button button--secondary" onClick={() => onDismiss(delivery.id)}>
              {tr('outbox.dismiss')}
            </button>
          </div>
        </div>
      ))}
      {pending.length > 0 && (
        <div class="notice notice--queued">
          <h2 class="notice__title">{tr('outbox.pendingHeading')}</h2>
          <p>{tr(online ? 'outbox.queuedServerBusy' : 'outbox.queued')}</p>
          <ul class="outbox__list">
            {pending.map((item) => (
              <li key={item.id} class="outbox__item">
                <span>
                  {tr('outbox.item', { errand: tr(`errand.${item.type}.name`), time: formatTime(item.createdAt) })}
                  {item.rejected && <strong class="field__error"> {tr('outbox.rejected')}</strong>}
                </span>
                <button type="button" class="button button--secondary" onClick={() => onCancel(item.id)}>
                  {tr('outbox.cancel')}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
