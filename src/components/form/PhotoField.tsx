/**
 * Photos for a fault report: a file input that opens the camera or the files on a phone, and
 * the photos already received from an earlier post of the form, each with a way to remove it.
 */
import { PHOTOS_FIELD, REMOVE_PHOTO_FIELD } from '../../lib/intake/form';
import type { ShownPhoto } from '../../lib/intake/form-props';
import { describeField, HintAndError, Label } from './fields';

/** A photo chosen in this browser and already made small, not yet sent. */
export interface SelectedPhoto {
  id: string;
  url: string;
}

interface PhotoFieldProps {
  photos: readonly ShownPhoto[];
  error?: string | undefined;
  tr: (key: string, values?: Record<string, string | number>) => string;
  /** With JavaScript: photos chosen here, and what to do with new and removed ones. */
  selected?: readonly SelectedPhoto[];
  onSelect?: (files: File[]) => void;
  onRemoveSelected?: (id: string) => void;
}

/** The types the server accepts; HEIC is listed so phones offer their photos, and converted in the browser where it can. */
const ACCEPTED_TYPES = 'image/jpeg,image/png,image/webp,image/heic,image/heif';

export function PhotoField({ photos, error, tr, selected = [], onSelect, onRemoveSelected }: PhotoFieldProps) {
  const hint = tr('form.photos.hint');
  const { id, describedBy, invalid } = describeField({ name: PHOTOS_FIELD, hint, error });
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <Label id={id} label={tr('form.photos.label')} optionalLabel={tr('form.optional')} />
      <HintAndError id={id} hint={hint} error={error} errorPrefix={tr('errorSummary.fieldPrefix')} />
      <input
        id={id}
        name={PHOTOS_FIELD}
        type="file"
        multiple
        accept={ACCEPTED_TYPES}
        class="file-input"
        aria-describedby={describedBy}
        aria-invalid={invalid}
        onChange={
          onSelect &&
          ((event) => {
            const input = event.currentTarget;
            onSelect([...(input.files ?? [])]);
            // The photos now live in the form's state (and draft); the input is free for more.
            input.value = '';
          })
        }
      />
      {selected.length > 0 && (
        <ul class="photo-list__items photo-list" aria-label={tr('form.photos.selected')}>
          {selected.map((photo, index) => (
            <li key={photo.id} class="photo-list__item">
              <img src={photo.url} alt={tr('form.photos.alt', { number: photos.length + index + 1 })} class="photo-list__image" />
              <button type="button" class="button button--secondary button--small" onClick={() => onRemoveSelected?.(photo.id)}>
                {tr('form.photos.remove', { number: photos.length + index + 1 })}
              </button>
            </li>
          ))}
        </ul>
      )}
      {photos.length > 0 && (
        <fieldset class="fieldset photo-list">
          <legend class="fieldset__legend fieldset__legend--small">{tr('form.photos.kept')}</legend>
          <ul class="photo-list__items">
            {photos.map((photo, index) => {
              const removeId = `${id}-remove-${photo.publicId}`;
              return (
                <li key={photo.publicId} class="photo-list__item">
                  <img src={photo.src} width={photo.width} height={photo.height} alt={tr('form.photos.alt', { number: index + 1 })} class="photo-list__image" />
                  <div class="checkbox">
                    <input id={removeId} type="checkbox" name={REMOVE_PHOTO_FIELD} value={photo.publicId} class="checkbox__input" />
                    <label for={removeId}>{tr('form.photos.remove', { number: index + 1 })}</label>
                  </div>
                </li>
              );
            })}
          </ul>
        </fieldset>
      )}
    </div>
  );
}
