/**
 * Sending the form: checked with the same schema as on the server, then sent to the API — or
 * queued in the outbox when there is no connection or the server cannot take it now. Whatever
 * cannot be done here falls back to the plain post the form makes without JavaScript.
 */
import { useRef, useState } from 'preact/hooks';
import type { StoredPhoto } from '../../client/database';
import { leavePage } from '../../client/leave-page';
import { enqueue, isTemporaryFailure, submissionRequest, SUBMISSIONS_ENDPOINT } from '../../client/outbox';
import { FORM_ERROR, toFieldErrors } from '../../lib/intake/errors';
import { formToSubmission, PHOTOS_FIELD, readFormValues } from '../../lib/intake/form';
import type { ErrandFormProps } from '../../lib/intake/form-props';
import type { SubmissionSchema } from '../../lib/intake/schema';
import type { DraftState } from './useDraft';
import type { ErrorSummaryState } from './useErrorSummary';
import type { OutboxState } from './useOutbox';
import { withoutPreview } from './usePhotos';

interface SubmissionOptions {
  /** The photos chosen in this browser. */
  photos: readonly StoredPhoto[];
  summary: Pick<ErrorSummaryState, 'showErrors' | 'showMessages'>;
  /** The text of the summary's title, shown as the message when the server explains nothing. */
  fallbackMessage: string;
  draft: Pick<DraftState, 'forget'>;
  outbox: Pick<OutboxState, 'deliverWhenPossible'>;
  /** Empties the form once the submission waits in the outbox. */
  onQueued: () => void;
}

export function useSubmission(props: ErrandFormProps, { photos, summary, fallbackMessage, draft, outbox, onQueued }: SubmissionOptions) {
  const { type, language } = props;
  const [sending, setSending] = useState(false);
  // The schema and zod are half of the island's bytes and are needed only when someone sends:
  // they come in a chunk of their own, asked for at the first touch of the form so they are
  // there by the time the person presses send.
  const schema = useRef<Promise<SubmissionSchema> | undefined>(undefined);
  const submissionSchema = () =>
    (schema.current ??= import('../../lib/intake/schema').then(({ createSubmissionSchema }) => createSubmissionSchema(props.schemaOptions)).catch((error: unknown) => {
      // Not kept, so the next attempt asks again (the connection may be back).
      schema.current = undefined;
      throw error;
    }));
  const submitting = useRef(false);

  // One submission at a time: a second press while the first is being checked or sent does nothing.
  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (submitting.current) return;
    submitting.current = true;
    try {
      await checkAndSend(event.currentTarget as HTMLFormElement);
    } finally {
      submitting.current = false;
    }
  };

  const checkAndSend = async (form: HTMLFormElement) => {
    const body = formToSubmission(type, readFormValues(new FormData(form)), language);
    let checked: SubmissionSchema;
    try {
      checked = await submissionSchema();
    } catch {
      // The chunk could not be loaded: the plain post is checked by the server as without JavaScript.
      return form.submit();
    }
    const result = checked.safeParse(body);
    if (!result.success) return summary.showErrors(toFieldErrors(result.error.issues));
    // Photos kept by the server from a post without JavaScript travel with the plain form post.
    if (props.photos.length > 0) return form.submit();

    const id = crypto.randomUUID();
    const storedPhotos = photos.map(withoutPreview);
    const queue = async (refused?: Response) => {
      await enqueue({ id, type, locale: language, body, photos: storedPhotos });
      await draft.forget();
      onQueued();
      await outbox.deliverWhenPossible(refused);
    };
    setSending(true);
    try {
      if (!navigator.onLine) return await queue();
      let response: Response;
      try {
        response = await fetch(SUBMISSIONS_ENDPOINT, submissionRequest(body, storedPhotos, id, language));
      } catch {
        return await queue();
      }
      if (response.status === 201) {
        await draft.forget();
        const receipt = (await response.json()) as { receiptUrl: string };
        return leavePage(receipt.receiptUrl);
      }
      if (isTemporaryFailure(response.status)) return await queue(response);
      const problem = (await response.json().catch(() => ({}))) as { errors?: { field: string; code: string }[]; detail?: string };
      if (problem.errors) return summary.showErrors(problem.errors.map((error) => ({ field: error.field, key: error.code })));
      summary.showMessages([{ field: response.status === 413 || response.status === 415 ? PHOTOS_FIELD : FORM_ERROR, message: problem.detail ?? fallbackMessage }]);
    } finally {
      setSending(false);
    }
  };

  return { sending, onSubmit, prefetchSchema: () => void submissionSchema().catch(() => undefined) };
}
