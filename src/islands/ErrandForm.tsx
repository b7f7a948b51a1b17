/**
 * The errand form. Rendered on the server, it is a plain HTML form that posts without
 * JavaScript. Hydrated, it checks the same schema before sending and moves focus to the same
 * error summary; keeps a draft on the device as the person types; makes photos small before
 * keeping them; and sends through the API — or, without a connection, through the outbox,
 * which delivers exactly once when the connection returns.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Delivery, OutboxItem, StoredPhoto } from '../client/database';
import { deleteDraft, loadDraft, saveDraft } from '../client/drafts';
import { shrinkImage } from '../client/images';
import { leavePage } from '../client/leave-page';
import {
  cancel,
  deliveries,
  dismissDelivery,
  enqueue,
  flushOutbox,
  isTemporaryFailure,
  onOutboxChange,
  OUTBOX_SYNC_TAG,
  pendingItems,
  retryDelay,
  submissionRequest,
  SUBMISSIONS_ENDPOINT,
} from '../client/outbox';
import { AnswerSuggestions, useAnswerSuggestions } from '../components/form/AnswerSuggestions';
import { DraftNotice } from '../components/form/DraftNotice';
import { ErrorSummary } from '../components/form/ErrorSummary';
import { ContactFields } from '../components/form/ContactFields';
import { GroupHint, RadioGroup, SelectField, TextArea, TextField } from '../components/form/fields';
import { LocationButton } from '../components/form/LocationButton';
import { NearbyReports, useNearbyReports } from '../components/form/NearbyReports';
import { OutboxPanel } from '../components/form/OutboxPanel';
import { PhotoField } from '../components/form/PhotoField';
import { FORM_ERROR, toFieldErrors, type FieldError, type ShownError } from '../lib/intake/errors';
import {
  ANONYMOUS_ALLOWED,
  blankFormValues,
  formToSubmission,
  HONEYPOT_FIELD,
  NEARBY_SHOWN_FIELD,
  PHOTO_ERRANDS,
  PHOTOS_FIELD,
  readFormValues,
  REPLY_FIELD,
  STARTED_AT_FIELD,
  type FormValues,
} from '../lib/intake/form';
import type { ErrandFormProps } from '../lib/intake/form-props';
import type { SubmissionSchema } from '../lib/intake/schema';

/** Typing is saved this long after the last keystroke: often enough to lose nothing, rarely enough to stay cheap. */
const DRAFT_SAVE_DELAY_MS = 600;
const MAX_PHOTOS = 5;

interface BackgroundSyncRegistration extends ServiceWorkerRegistration {
  sync?: { register(tag: string): Promise<void> };
}

/** Asks the service worker to deliver the outbox when the connection returns, where the browser can. */
async function requestBackgroundSync(): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  const registration = (await navigator.serviceWorker.getRegistration()) as BackgroundSyncRegistration | undefined;
  await registration?.sync?.register(OUTBOX_SYNC_TAG).catch(() => undefined);
}

export default function ErrandForm(props: ErrandFormProps) {
  const { type, text, language } = props;
  const [values, setValues] = useState<FormValues>(props.initialValues);
  const [errors, setErrors] = useState<ShownError[]>(props.initialErrors);
  const [hydrated, setHydrated] = useState(false);
  const [online, setOnline] = useState(true);
  const [failedAttempts, setFailedAttempts] = useState(0);
  const [photos, setPhotos] = useState<(StoredPhoto & { url: string })[]>([]);
  const [draftOffer, setDraftOffer] = useState<{ savedAt: string; values: FormValues; photos: StoredPhoto[] } | undefined>();
  const [dirty, setDirty] = useState(false);
  const [sending, setSending] = useState(false);
  const [pending, setPending] = useState<OutboxItem[]>([]);
  const [delivered, setDelivered] = useState<Delivery[]>([]);
  const summaryRef = useRef<HTMLDivElement>(null);
  // The schema and zod are half of the island's bytes and are needed only when someone sends:
  // they come in a chunk of their own, asked for at the first touch of the form so they are
  // there by the time the person presses send.
  const schema = useRef<Promise<SubmissionSchema> | undefined>(undefined);
  const submissionSchema = () =>
    (schema.current ??= import('../lib/intake/schema').then(({ createSubmissionSchema }) => createSubmissionSchema(props.schemaOptions)).catch((error: unknown) => {
      // Not kept, so the next attempt asks again (the connection may be back).
      schema.current = undefined;
      throw error;
    }));
  const submitting = useRef(false);

  const tr = (key: string, replacements?: Record<string, string | number>) =>
    Object.entries(replacements ?? {}).reduce((result, [name, value]) => result.replaceAll(`{{${name}}}`, String(value)), text[key] ?? key);
  const formatTime = (iso: string) => new Intl.DateTimeFormat(props.intlLocale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  const showErrors = (fieldErrors: FieldError[]) => {
    setErrors(fieldErrors.map((error) => ({ field: error.field, message: tr(error.key, error.values) })));
    setFailedAttempts((count) => count + 1);
    // The server marks a returned form in the title; a form checked here must say the same.
    const prefix = tr('layout.errorTitlePrefix');
    if (!document.title.startsWith(prefix)) document.title = `${prefix}${document.title}`;
  };
  const refreshOutbox = async () => {
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
    await refreshOutbox();
    if (retryAfterMs !== undefined) deliverLater(retryAfterMs);
  };

  useEffect(() => {
    setHydrated(true);
    void loadDraft(type, language).then((draft) => {
      if (draft && props.initialErrors.length === 0) setDraftOffer(draft);
    });
    void deliver();
    setOnline(navigator.onLine);
    const onOnline = () => {
      setOnline(true);
      void deliver();
    };
    const onOffline = () => setOnline(false);
    addEventListener('online', onOnline);
    addEventListener('offline', onOffline);
    const stopListening = onOutboxChange(() => void refreshOutbox());
    return () => {
      removeEventListener('online', onOnline);
      removeEventListener('offline', onOffline);
      stopListening();
      clearTimeout(retryTimer.current);
    };
  }, []);

  useEffect(() => {
    if (failedAttempts > 0) summaryRef.current?.focus();
  }, [failedAttempts]);

  // Autosave: only once the person has typed or chosen something, never over an offered draft.
  useEffect(() => {
    if (!dirty || draftOffer) return undefined;
    const timer = setTimeout(() => {
      void saveDraft(type, language, { values, photos: photos.map(({ id, name, blob }) => ({ id, name, blob })), savedAt: new Date().toISOString() });
    }, DRAFT_SAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [values, photos, dirty, draftOffer]);

  const suggestions = useAnswerSuggestions(type === 'question' ? (values['message'] ?? '') : '', language);
  const faultPlace = type === 'fault_report' && hydrated;
  const nearby = useNearbyReports(
    {
      category: faultPlace ? (values['category'] ?? '') : '',
      place: values['location.description'] ?? '',
      lat: values['location.lat'] ?? '',
      lon: values['location.lon'] ?? '',
    },
    language,
  );

  const withPreview = (photo: StoredPhoto) => ({ ...photo, url: URL.createObjectURL(photo.blob) });

  const continueDraft = () => {
    if (!draftOffer) return;
    setValues({ ...draftOffer.values, formToken: props.formToken });
    setPhotos(draftOffer.photos.map(withPreview));
    setDraftOffer(undefined);
    setDirty(true);
  };
  const discardDraft = async () => {
    await deleteDraft(type, language);
    setDraftOffer(undefined);
  };

  const addPhotos = async (files: File[]) => {
    setDirty(true);
    const room = MAX_PHOTOS - props.photos.length - photos.length;
    if (files.length > room) return showErrors([{ field: PHOTOS_FIELD, key: 'error.photos.tooMany' }]);
    try {
      // An empty file is named in the error and the others chosen with it are kept, as without JavaScript.
      const empty = files.find((file) => file.size === 0);
      const chosen = files.filter((file) => file.size > 0);
      const shrunk = await Promise.all(chosen.map(async (file) => ({ id: crypto.randomUUID(), name: file.name.replace(/\.[^.]*$/, '.jpg'), blob: await shrinkImage(file) })));
      setPhotos((current) => [...current, ...shrunk.map(withPreview)]);
      if (empty) showErrors([{ field: PHOTOS_FIELD, key: 'error.photos.empty', values: { name: empty.name } }]);
      else setErrors((current) => current.filter((error) => error.field !== PHOTOS_FIELD));
    } catch {
      showErrors([{ field: PHOTOS_FIELD, key: 'error.photos.unsupportedType' }]);
    }
  };
  const removePhoto = (id: string) => setPhotos((current) => current.filter((photo) => photo.id !== id));

  const onInput = (event: Event) => {
    const target = event.target as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
    if (!target.name || target.type === 'file') return;
    setDirty(true);
    setValues((current) => ({ ...current, [target.name]: target.value }));
  };

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
    if (!result.success) return showErrors(toFieldErrors(result.error.issues));
    // Photos kept by the server from a post without JavaScript travel with the plain form post.
    if (props.photos.length > 0) return form.submit();

    const id = crypto.randomUUID();
    const storedPhotos = photos.map(({ id: photoId, name, blob }) => ({ id: photoId, name, blob }));
    const queue = async (refused?: Response) => {
      await enqueue({ id, type, locale: language, body, photos: storedPhotos });
      await deleteDraft(type, language);
      setValues({ ...blankFormValues(type), formToken: props.formToken });
      setPhotos([]);
      setErrors([]);
      setDirty(false);
      await refreshOutbox();
      await requestBackgroundSync();
      deliverLater(retryDelay(refused));
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
        await deleteDraft(type, language);
        const receipt = (await response.json()) as { receiptUrl: string };
        return leavePage(receipt.receiptUrl);
      }
      if (isTemporaryFailure(response.status)) return await queue(response);
      const problem = (await response.json().catch(() => ({}))) as { errors?: { field: string; code: string }[]; detail?: string };
      if (problem.errors) return showErrors(problem.errors.map((error) => ({ field: error.field, key: error.code })));
      setErrors([{ field: response.status === 413 || response.status === 415 ? PHOTOS_FIELD : FORM_ERROR, message: problem.detail ?? tr('errorSummary.title') }]);
      setFailedAttempts((count) => count + 1);
    } finally {
      setSending(false);
    }
  };

  const errorOf = (field: string) => errors.find((error) => error.field === field)?.message;
  const common = (name: string) => ({ name, error: errorOf(name), errorPrefix: tr('errorSummary.fieldPrefix') });
  const value = (name: string) => values[name] ?? '';
  const optional = tr('form.optional');
  const anonymousAllowed = ANONYMOUS_ALLOWED.has(type);
  const wantsReply = value(REPLY_FIELD) !== 'no';
  const contactFields = <ContactFields type={type} legend={tr('form.contact.legend')} tr={tr} common={common} value={value} />;

  return (
    <>
      <OutboxPanel
        pending={pending}
        delivered={delivered}
        tr={tr}
        formatTime={formatTime}
        onCancel={(id) => void cancel(id).then(refreshOutbox)}
        onDismiss={(id) => void dismissDelivery(id).then(refreshOutbox)}
        online={online}
      />
      {draftOffer && (
        <DraftNotice
          message={tr('draft.found', { time: formatTime(draftOffer.savedAt) })}
          continueLabel={tr('draft.continue')}
          discardLabel={tr('draft.discard')}
          onContinue={continueDraft}
          onDiscard={() => void discardDraft()}
        />
      )}
      <form
        method="post"
        action={props.action}
        encType={PHOTO_ERRANDS.has(type) ? 'multipart/form-data' : undefined}
        noValidate
        onSubmit={(event) => void onSubmit(event)}
        onInput={onInput}
        onFocusIn={() => void submissionSchema().catch(() => undefined)}
        class="errand-form"
      >
        {errors.length > 0 && <ErrorSummary title={tr('errorSummary.title')} errors={errors} summaryRef={summaryRef} />}
        <p class="field__hint js-only">{tr('draft.info')}</p>
        <input type="hidden" name="formToken" value={props.formToken} />
        {props.nearby.length > 0 && (
          <>
            <input type="hidden" name={NEARBY_SHOWN_FIELD} value="1" />
            <NearbyReports reports={props.nearby} tr={tr} afterPost />
          </>
        )}
        <input type="hidden" name={STARTED_AT_FIELD} value={props.initialValues[STARTED_AT_FIELD]} />
        {/* Not displayed, so neither people nor their browsers' autofill see it; bots reading the HTML do. */}
        <div class="honeypot">
          <label for={HONEYPOT_FIELD}>{tr('form.honeypot.label')}</label>
          <input type="text" id={HONEYPOT_FIELD} name={HONEYPOT_FIELD} autoComplete="off" tabIndex={-1} value="" />
        </div>

        {type === 'feedback' && (
          <RadioGroup {...common('feedbackKind')} label={tr('form.feedbackKind.legend')} value={value('feedbackKind')} options={props.feedbackKinds} />
        )}
        {type === 'fault_report' && (
          <>
            <SelectField
              {...common('category')}
              label={tr('form.category.label')}
              value={value('category')}
              options={props.categories}
              placeholder={tr('form.category.choose')}
            />
            <TextField {...common('location.description')} label={tr('form.place.label')} hint={tr('form.place.hint')} value={value('location.description')} />
            <LocationButton
              tr={tr}
              onPosition={(lat, lon) => {
                setDirty(true);
                setValues((current) => ({ ...current, 'location.lat': String(lat), 'location.lon': String(lon) }));
              }}
            />
            <details class="details" open={Boolean(value('location.lat') || value('location.lon') || errorOf('location.lat'))}>
              <summary class="details__summary">
                {tr('form.coordinates.summary')} {optional}
              </summary>
              <GroupHint name="location.coordinates" hint={tr('form.coordinates.hint')}>
                <TextField {...common('location.lat')} label={tr('form.lat.label')} value={value('location.lat')} inputMode="decimal" width="short" />
                <TextField {...common('location.lon')} label={tr('form.lon.label')} value={value('location.lon')} inputMode="decimal" width="short" />
              </GroupHint>
            </details>
            {hydrated && props.nearby.length === 0 && <NearbyReports reports={nearby} tr={tr} />}
          </>
        )}
        {type === 'proposal' && <TextField {...common('title')} label={tr('form.title.label')} hint={tr('form.title.hint')} value={value('title')} />}

        <TextArea {...common('message')} label={tr(`form.message.${type}.label`)} hint={tr(`form.message.${type}.hint`)} value={value('message')} />
        {type === 'question' && hydrated && <AnswerSuggestions suggestions={suggestions} heading={tr('answers.suggestionsHeading')} pageLanguage={language} />}
        {PHOTO_ERRANDS.has(type) && (
          <PhotoField
            photos={props.photos}
            error={errorOf(PHOTOS_FIELD)}
            tr={tr}
            selected={photos}
            {...(hydrated ? { onSelect: (files: File[]) => void addPhotos(files), onRemoveSelected: removePhoto } : {})}
          />
        )}

        {(type === 'question' || type === 'feedback') && (
          <SelectField
            {...common('unit')}
            label={tr('form.unit.label')}
            hint={tr('form.unit.hint')}
            optionalLabel={optional}
            value={value('unit')}
            options={props.units}
            placeholder={tr('form.unit.none')}
          />
        )}
        {type === 'proposal' && (
          <>
            <TextArea {...common('reason')} label={tr('form.reason.label')} optionalLabel={optional} value={value('reason')} rows={4} />
            <div class="notice">
              <h2 class="notice__title">{tr('form.publish.heading')}</h2>
              <p>{tr('form.publish.text')}</p>
            </div>
          </>
        )}

        {anonymousAllowed ? (
          <RadioGroup
            {...common(REPLY_FIELD)}
            label={tr('form.reply.legend')}
            value={value(REPLY_FIELD)}
            options={[
              { value: 'yes', label: tr('form.reply.yes') },
              { value: 'no', label: tr('form.reply.no'), hint: tr('form.reply.noHint') },
            ]}
            // Without JavaScript the contact fields are always shown; hydrated, they show only when a reply is wanted.
            revealAfter={{ value: 'yes', content: !hydrated || wantsReply ? <div class="reveal">{contactFields}</div> : null }}
          />
        ) : (
          contactFields
        )}

        <div class="notice">
          <h2 class="notice__title">{tr('form.beforeSending.heading')}</h2>
          <p>{tr('form.beforeSending.public')}</p>
          {type === 'fault_report' && <p>{tr('form.beforeSending.faultPublic')}</p>}
          <p>{tr('form.beforeSending.sensitive')}</p>
          <p>
            {tr('form.beforeSending.privacy')} <a href={props.privacyHref}>{tr('form.beforeSending.privacyLink')}</a>
          </p>
        </div>

        <button type="submit" class="button" disabled={sending} aria-describedby={sending ? 'sending-status' : undefined}>
          {tr(`form.submit.${type}`)}
        </button>
        <p id="sending-status" role="status" class="field__hint">
          {sending ? tr('form.sending') : ''}
        </p>
      </form>
    </>
  );
}
