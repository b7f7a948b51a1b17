/**
 * The errand form. Rendered on the server, it is a plain HTML form that posts without
 * JavaScript; hydrated, it checks the same schema before sending, shows the same error summary
 * and moves focus to it, and hides the contact fields while "anonymous" is chosen.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ErrorSummary, type ShownError } from '../components/form/ErrorSummary';
import { RadioGroup, SelectField, TextArea, TextField, type Option } from '../components/form/fields';
import { toFieldErrors } from '../lib/intake/errors';
import { ANONYMOUS_ALLOWED, formToSubmission, readFormValues, REPLY_FIELD, type FormValues } from '../lib/intake/form';
import { createSubmissionSchema, type ErrandType, type SchemaOptions } from '../lib/intake/schema';

/** Everything the form needs, all text already translated on the server. */
export interface ErrandFormProps {
  type: ErrandType;
  action: string;
  language: string;
  formToken: string;
  initialValues: FormValues;
  initialErrors: ShownError[];
  /** Translated texts by locale key: labels, hints and every validation message. */
  text: Record<string, string>;
  units: Option[];
  categories: Option[];
  feedbackKinds: Option[];
  schemaOptions: SchemaOptions;
  privacyHref: string;
}

export default function ErrandForm(props: ErrandFormProps) {
  const { type, text } = props;
  const [values, setValues] = useState<FormValues>(props.initialValues);
  const [errors, setErrors] = useState<ShownError[]>(props.initialErrors);
  const [hydrated, setHydrated] = useState(false);
  const [failedAttempts, setFailedAttempts] = useState(0);
  const summaryRef = useRef<HTMLDivElement>(null);
  const schema = useMemo(() => createSubmissionSchema(props.schemaOptions), [props.schemaOptions]);

  useEffect(() => setHydrated(true), []);
  useEffect(() => {
    if (failedAttempts > 0) summaryRef.current?.focus();
  }, [failedAttempts]);

  const tr = (key: string) => text[key] ?? key;
  const errorOf = (field: string) => errors.find((error) => error.field === field)?.message;
  const common = (name: string) => ({ name, error: errorOf(name), errorPrefix: tr('errorSummary.fieldPrefix') });
  const value = (name: string) => values[name] ?? '';
  const optional = tr('form.optional');

  const onInput = (event: Event) => {
    const target = event.target as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
    if (target.name) setValues((current) => ({ ...current, [target.name]: target.value }));
  };

  const onSubmit = (event: SubmitEvent) => {
    const form = event.currentTarget as HTMLFormElement;
    const result = schema.safeParse(formToSubmission(type, readFormValues(new FormData(form)), props.language));
    if (result.success) return;
    event.preventDefault();
    setErrors(toFieldErrors(result.error.issues).map((error) => ({ field: error.field, message: tr(error.key) })));
    setFailedAttempts((count) => count + 1);
    // The server marks a returned form in the title; a form checked here must say the same.
    const prefix = tr('layout.errorTitlePrefix');
    if (!document.title.startsWith(prefix)) document.title = `${prefix}${document.title}`;
  };

  const anonymousAllowed = ANONYMOUS_ALLOWED.has(type);
  const wantsReply = value(REPLY_FIELD) !== 'no';
  const contactFields = (
    <fieldset class="fieldset fieldset--nested">
      <legend class="fieldset__legend fieldset__legend--small">{tr('form.contact.legend')}</legend>
      <p class="field__hint">{tr(type === 'proposal' ? 'form.contact.proposalHint' : 'form.contact.hint')}</p>
      <TextField
        {...common('contact.name')}
        label={tr('form.contact.name.label')}
        optionalLabel={type === 'proposal' ? undefined : optional}
        value={value('contact.name')}
        personalData="name"
      />
      <TextField
        {...common('contact.email')}
        label={tr('form.contact.email.label')}
        type="email"
        value={value('contact.email')}
        personalData="email"
      />
      <TextField
        {...common('contact.phone')}
        label={tr('form.contact.phone.label')}
        optionalLabel={type === 'proposal' ? optional : undefined}
        type="tel"
        value={value('contact.phone')}
        personalData="tel"
        width="short"
      />
    </fieldset>
  );

  return (
    <form method="post" action={props.action} noValidate onSubmit={onSubmit} onInput={onInput} class="errand-form">
      {errors.length > 0 && <ErrorSummary title={tr('errorSummary.title')} errors={errors} summaryRef={summaryRef} />}
      <input type="hidden" name="formToken" value={props.formToken} />

      {type === 'feedback' && (
        <RadioGroup
          {...common('feedbackKind')}
          label={tr('form.feedbackKind.legend')}
          value={value('feedbackKind')}
          options={props.feedbackKinds}
        />
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
          <details class="details" open={Boolean(value('location.lat') || value('location.lon') || errorOf('location.lat'))}>
            <summary class="details__summary">
              {tr('form.coordinates.summary')} {optional}
            </summary>
            <p class="field__hint">{tr('form.coordinates.hint')}</p>
            <TextField {...common('location.lat')} label={tr('form.lat.label')} value={value('location.lat')} inputMode="decimal" width="short" />
            <TextField {...common('location.lon')} label={tr('form.lon.label')} value={value('location.lon')} inputMode="decimal" width="short" />
          </details>
        </>
      )}
      {type === 'proposal' && (
        <TextField {...common('title')} label={tr('form.title.label')} hint={tr('form.title.hint')} value={value('title')} />
      )}

      <TextArea
        {...common('message')}
        label={tr(`form.message.${type}.label`)}
        hint={tr(`form.message.${type}.hint`)}
        value={value('message')}
      />

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
        <p>{tr('form.beforeSending.sensitive')}</p>
        <p>
          {tr('form.beforeSending.privacy')} <a href={props.privacyHref}>{tr('form.beforeSending.privacyLink')}</a>
        </p>
      </div>

      <button type="submit" class="button">
        {tr(`form.submit.${type}`)}
      </button>
    </form>
  );
}
