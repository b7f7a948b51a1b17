/**
 * Photos chosen in this browser: made small before they are kept, with a preview of each. The
 * shrinking code is loaded when the first photo is chosen, not with the form.
 */
import { useState } from 'preact/hooks';
import type { StoredPhoto } from '../../client/database';
import { PHOTOS_FIELD } from '../../lib/intake/form';
import type { ErrorSummaryState } from './useErrorSummary';

/** As many as the server takes with one errand, counting those it already keeps from an earlier post. */
const MAX_PHOTOS = 5;

/** A chosen photo with the object URL its preview shows. */
export type PreviewedPhoto = StoredPhoto & { url: string };

const withPreview = (photo: StoredPhoto): PreviewedPhoto => ({ ...photo, url: URL.createObjectURL(photo.blob) });

/** A photo as drafts and the outbox keep it: the preview's URL means nothing on another visit. */
export const withoutPreview = ({ id, name, blob }: StoredPhoto): StoredPhoto => ({ id, name, blob });

interface PhotosOptions {
  /** Photos the server keeps from an earlier post of the form. */
  keptCount: number;
  summary: Pick<ErrorSummaryState, 'showErrors' | 'clearErrors'>;
  /** Called when the person chooses photos, so the form counts as changed. */
  onChoose: () => void;
}

export function usePhotos({ keptCount, summary, onChoose }: PhotosOptions) {
  const [photos, setPhotos] = useState<PreviewedPhoto[]>([]);

  const add = async (files: File[]) => {
    onChoose();
    const room = MAX_PHOTOS - keptCount - photos.length;
    if (files.length > room) return summary.showErrors([{ field: PHOTOS_FIELD, key: 'error.photos.tooMany' }]);
    try {
      // An empty file is named in the error and the others chosen with it are kept, as without JavaScript.
      const empty = files.find((file) => file.size === 0);
      const chosen = files.filter((file) => file.size > 0);
      const { shrinkImage } = await import('../../client/images');
      const shrunk = await Promise.all(chosen.map(async (file) => ({ id: crypto.randomUUID(), name: file.name.replace(/\.[^.]*$/, '.jpg'), blob: await shrinkImage(file) })));
      setPhotos((current) => [...current, ...shrunk.map(withPreview)]);
      if (empty) summary.showErrors([{ field: PHOTOS_FIELD, key: 'error.photos.empty', values: { name: empty.name } }]);
      else summary.clearErrors(PHOTOS_FIELD);
    } catch {
      summary.showErrors([{ field: PHOTOS_FIELD, key: 'error.photos.unsupportedType' }]);
    }
  };
  const remove = (id: string) => setPhotos((current) => current.filter((photo) => photo.id !== id));
  /** Shows the photos of a draft again. */
  const restore = (stored: readonly StoredPhoto[]) => setPhotos(stored.map(withPreview));
  const clear = () => setPhotos([]);

  return { photos, add, remove, restore, clear };
}
