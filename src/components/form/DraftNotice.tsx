/** Offers back a draft found on this device, with its time, to continue or throw away. */
interface DraftNoticeProps {
  message: string;
  continueLabel: string;
  discardLabel: string;
  onContinue: () => void;
  onDiscard: () => void;
}

export function DraftNotice({ message, continueLabel, discardLabel, onContinue, onDiscard }: DraftNoticeProps) {
  return (
    <div class="notice notice--draft" role="region" aria-label={message}>
      <p>{message}</p>
      <div class="button-group">
        <button type="button" class="button" onClick={onContinue}>
          {continueLabel}
        </button>
        <button type="button" class="button button--secondary" onClick={onDiscard}>
          {discardLabel}
        </button>
      </div>
    </div>
  );
}
