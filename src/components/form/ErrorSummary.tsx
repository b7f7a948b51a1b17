/**
 * The error summary, as GOV.UK does it: first in the page, a heading and a link to each wrong
 * field, `role="alert"` on an inner element so screen readers announce it, and focus on it when
 * it appears (by `autofocus` without JavaScript, by the island with it).
 */
import type { Ref } from 'preact';
import { fieldId, FORM_ERROR, type ShownError } from '../../lib/intake/errors';

interface ErrorSummaryProps {
  title: string;
  errors: readonly ShownError[];
  summaryRef?: Ref<HTMLDivElement>;
}

/**
 * Moves focus to the field and brings its label (or legend) into view with it: browsers scroll
 * to the input alone and would hide the question it answers above the fold.
 */
function focusField(event: MouseEvent, field: string): void {
  const input = document.getElementById(fieldId(field));
  if (!input) return;
  event.preventDefault();
  const caption = input.closest('fieldset')?.querySelector('legend') ?? document.querySelector(`label[for="${input.id}"]`);
  (caption ?? input).scrollIntoView();
  input.focus({ preventScroll: true });
}

/** Lists what must be corrected, each item a link to its field. */
export function ErrorSummary({ title, errors, summaryRef }: ErrorSummaryProps) {
  return (
    <div class="error-summary" tabIndex={-1} autofocus ref={summaryRef ?? null}>
      <div role="alert">
        <h2 id="error-summary-title" class="error-summary__title">
          {title}
        </h2>
        <ul class="error-summary__list">
          {errors.map((error) => (
            <li key={error.field}>
              {error.field === FORM_ERROR ? (
                error.message
              ) : (
                <a href={`#${fieldId(error.field)}`} onClick={(event) => focusField(event, error.field)}>
                  {error.message}
                </a>
              )}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
