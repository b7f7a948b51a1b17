/**
 * The errand form. Rendered on the server, it is a plain HTML form that posts without
 * JavaScript. Hydrated, it checks the same schema before sending and moves focus to the same
 * error summary; keeps a draft on the device as the person types; makes photos small before
 * keeping them; and sends through the API — or, without a connection, through the outbox,
 * which delivers exactly once when the connection returns. Each of these is a hook of its own
 * in ./errand-form; each errand type's fields are a component of their own there.
 */
import { useEffect, useState } from 'preact/hooks';
import { ContactFields } from '../components/form/ContactFields';
import { DraftNotice } from '../components/form/DraftNotice';
import { ErrorSummary } from '../components/form/ErrorSummary';
import { RadioGroup } from '../components/form/fields';
import { NearbyReports } from '../components/form/NearbyReports';
import { OutboxPanel } from '../components/form/OutboxPanel';
import { PhotoField } from '../components/form/PhotoField';
import {
  ANONYMOUS_ALLOWED,
  blankFormValues,
  HONEYPOT_FIELD,
  NEARBY_SHOWN_FIELD,
  PHOTO_ERRANDS,
  PHOTOS_FIELD,
  REPLY_FIELD,
  STARTED_AT_FIELD,
  type FormValues,
} from '../lib/intake/form';
import type { ErrandFormProps } from '../lib/intake/form-props';
import { FaultReportFields } from './errand-form/FaultReportFields';
import { FeedbackFields } from './errand-form/FeedbackFields';
import type { FieldGroupProps } from './errand-form/field-group';
import { ProposalFields } from './errand-form/ProposalFields';
import { QuestionFields } from './errand-form/QuestionFields';
import { timeFormatter, translator } from './errand-form/text';
import { useDraft } from './errand-form/useDraft';
import { useErrorSummary } from './errand-form/useErrorSummary';
import { useOutbox } from './errand-form/useOutbox';
import { usePhotos } from './errand-form/usePhotos';
import { useSubmission } from './errand-form/useSubmission';

export default function ErrandForm(props: ErrandFormProps) {
  const { type, language } = props;
  const tr = translator(props.text);
  const formatTime = timeFormatter(props.intlLocale);
  const [values, setValues] = useState<FormValues>(props.initialValues);
  const [dirty, setDirty] = useState(false);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const edit = (changes: FormValues) => {
    setDirty(true);
    setValues((current) => ({ ...current, ...changes }));
  };

  const summary = useErrorSummary(props.initialErrors, tr);
  const photos = usePhotos({ keptCount: props.photos.length, summary, onChoose: () => setDirty(true) });
  const draft = useDraft({
    type,
    language,
    offerable: props.initialErrors.length === 0,
    values,
    photos: photos.photos,
    dirty,
    onContinue: (found) => {
      setValues({ ...found.values, formToken: props.formToken });
      photos.restore(found.photos);
      setDirty(true);
    },
  });
  const outbox = useOutbox(type);
  const submission = useSubmission(props, {
    photos: photos.photos,
    summary,
    fallbackMessage: tr('errorSummary.title'),
    draft,
    outbox,
    onQueued: () => {
      setValues({ ...blankFormValues(type), formToken: props.formToken });
      photos.clear();
      summary.clearErrors();
      setDirty(false);
    },
  });

  const onInput = (event: Event) => {
    const target = event.target as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
    if (!target.name || target.type === 'file') return;
    edit({ [target.name]: target.value });
  };

  const value = (name: string) => values[name] ?? '';
  const common = (name: string) => ({ name, error: summary.errorOf(name), errorPrefix: tr('errorSummary.fieldPrefix') });
  const group: FieldGroupProps = { tr, common, value, hydrated };
  const wantsReply = value(REPLY_FIELD) !== 'no';
  const contactFields = <ContactFields type={type} legend={tr('form.contact.legend')} tr={tr} common={common} value={value} />;

  return (
    <>
      <OutboxPanel
        pending={outbox.pending}
        delivered={outbox.delivered}
        tr={tr}
        formatTime={formatTime}
        onCancel={outbox.cancel}
        onDismiss={outbox.dismiss}
        online={outbox.online}
      />
      {draft.offer && (
        <DraftNotice
          message={tr('draft.found', { time: formatTime(draft.offer.savedAt) })}
          continueLabel={tr('draft.continue')}
          discardLabel={tr('draft.discard')}
          onContinue={draft.continueDraft}
          onDiscard={() => void draft.discard()}
        />
      )}
      <form
        method="post"
        action={props.action}
        encType={PHOTO_ERRANDS.has(type) ? 'multipart/form-data' : undefined}
        noValidate
        onSubmit={(event) => void submission.onSubmit(event)}
        onInput={onInput}
        onFocusIn={submission.prefetchSchema}
        class="errand-form"
      >
        {summary.errors.length > 0 && <ErrorSummary title={tr('errorSummary.title')} errors={summary.errors} summaryRef={summary.summaryRef} />}
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

        {type === 'question' && <QuestionFields {...group} units={props.units} language={language} />}
        {type === 'feedback' && <FeedbackFields {...group} units={props.units} feedbackKinds={props.feedbackKinds} />}
        {type === 'fault_report' && (
          <FaultReportFields
            {...group}
            categories={props.categories}
            language={language}
            nearbyShown={props.nearby.length > 0}
            onPosition={(lat, lon) => edit({ 'location.lat': String(lat), 'location.lon': String(lon) })}
            photoField={
              <PhotoField
                photos={props.photos}
                error={summary.errorOf(PHOTOS_FIELD)}
                tr={tr}
                selected={photos.photos}
                {...(hydrated ? { onSelect: (files: File[]) => void photos.add(files), onRemoveSelected: photos.remove } : {})}
              />
            }
          />
        )}
        {type === 'proposal' && <ProposalFields {...group} />}

        {ANONYMOUS_ALLOWED.has(type) ? (
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

        <button type="submit" class="button" disabled={submission.sending} aria-describedby={submission.sending ? 'sending-status' : undefined}>
          {tr(`form.submit.${type}`)}
        </button>
        <p id="sending-status" role="status" class="field__hint">
          {submission.sending ? tr('form.sending') : ''}
        </p>
      </form>
    </>
  );
}
