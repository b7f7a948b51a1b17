/**
 * The draft on this device: offered back when the form opens (unless the server returned the
 * form with errors, whose values are newer), saved as the person types, forgotten once sent.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Draft, StoredPhoto } from '../../client/database';
import { deleteDraft, loadDraft, saveDraft } from '../../client/drafts';
import type { FormValues } from '../../lib/intake/form';
import type { ErrandType } from '../../lib/intake/schema';
import { withoutPreview } from './usePhotos';

/** Typing is saved this long after the last keystroke: often enough to lose nothing, rarely enough to stay cheap. */
const DRAFT_SAVE_DELAY_MS = 600;

interface DraftOptions {
  type: ErrandType;
  language: string;
  /** Whether a draft found may be offered at all. */
  offerable: boolean;
  values: FormValues;
  photos: readonly StoredPhoto[];
  /** Whether the person has typed or chosen something since the form opened. */
  dirty: boolean;
  /** Puts the draft's values and photos back into the form. */
  onContinue: (draft: Draft) => void;
}

export function useDraft({ type, language, offerable, values, photos, dirty, onContinue }: DraftOptions) {
  const [offer, setOffer] = useState<Draft | undefined>();

  useEffect(() => {
    void loadDraft(type, language).then((draft) => {
      if (draft && offerable) setOffer(draft);
    });
  }, []);

  // Only once the person has typed or chosen something, never over an offered draft.
  useEffect(() => {
    if (!dirty || offer) return undefined;
    const timer = setTimeout(() => {
      void saveDraft(type, language, { values, photos: photos.map(withoutPreview), savedAt: new Date().toISOString() });
    }, DRAFT_SAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [values, photos, dirty, offer]);

  const continueDraft = () => {
    if (!offer) return;
    onContinue(offer);
    setOffer(undefined);
  };
  const discard = async () => {
    await deleteDraft(type, language);
    setOffer(undefined);
  };
  /** Removes the draft once what it held has been sent or queued. */
  const forget = () => deleteDraft(type, language);

  return { offer, continueDraft, discard, forget };
}

export type DraftState = ReturnType<typeof useDraft>;
