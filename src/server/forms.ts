/**
 * The server side of the errand forms: what a form page shows on GET, and what a post without
 * JavaScript leads to — a 303 to the receipt, or the form again with errors and values kept.
 */
import { randomUUID } from 'node:crypto';
import type { AstroGlobal } from 'astro';
import { localizedName } from '../config/schema';
import { FORM_ERROR, type ShownError } from '../components/form/ErrorSummary';
import { VALIDATION_MESSAGE_KEYS } from '../lib/intake/errors';
import { ANONYMOUS_ALLOWED, formToSubmission, REPLY_FIELD, type FormValues } from '../lib/intake/form';
import { FEEDBACK_KINDS, type ErrandType } from '../lib/intake/schema';
import { PRIVACY_PATH, errandPath, receiptPath } from '../lib/routes';
import sv from '../i18n/sv.json';
import type { ErrandFormProps } from '../islands/ErrandForm';
import { BodyTooLargeError, readBodyText } from './http';
import { receiveSubmission } from './intake';
import { StorageUnavailableError } from './storage/index';

/** A form of text fields stays far below this even with every field full of multi-byte characters. */
const FORM_BODY_LIMIT_BYTES = 256 * 1024;

/** Locale keys whose texts the form shows, with or without JavaScript. */
const FORM_TEXT_KEYS = [
  ...Object.keys(sv).filter((key) => key.startsWith('form.') || key.startsWith('errorSummary.')),
  ...VALIDATION_MESSAGE_KEYS,
  'layout.errorTitlePrefix',
];

/** What a form page renders. */
export type FormPageState =
  | { kind: 'redirect'; location: string }
  | { kind: 'form'; props: ErrandFormProps; status: 200 | 413 | 422 | 503 };

function formProps(astro: AstroGlobal, type: ErrandType, values: FormValues, errors: ShownError[]): ErrandFormProps {
  const { t, locale, services } = astro.locals;
  const { config } = services;
  return {
    type,
    action: errandPath(type),
    language: locale,
    formToken: values['formToken'] || randomUUID(),
    initialValues: values,
    initialErrors: errors,
    text: Object.fromEntries(FORM_TEXT_KEYS.map((key) => [key, t(key)])),
    units: config.units.map((unit) => ({ value: unit.id, label: localizedName(unit.name, locale) })),
    categories: config.faultCategories.map((category) => ({ value: category.id, label: localizedName(category.name, locale) })),
    feedbackKinds: FEEDBACK_KINDS.map((kind) => ({
      value: kind,
      label: t(`feedback.kind.${kind}`),
      hint: t(`form.feedbackKind.${kind}.hint`),
    })),
    schemaOptions: {
      unitIds: config.units.map((unit) => unit.id),
      categoryIds: config.faultCategories.map((category) => category.id),
    },
    privacyHref: PRIVACY_PATH,
  };
}

/** Handles a form page request: shows the empty form, or receives a post. */
export async function handleErrandForm(astro: AstroGlobal, type: ErrandType): Promise<FormPageState> {
  const { t, locale, services } = astro.locals;
  if (astro.request.method !== 'POST') {
    const initial: FormValues = ANONYMOUS_ALLOWED.has(type) ? { [REPLY_FIELD]: 'yes' } : {};
    return { kind: 'form', props: formProps(astro, type, initial, []), status: 200 };
  }

  let values: FormValues;
  try {
    values = Object.fromEntries(new URLSearchParams(await readBodyText(astro.request, FORM_BODY_LIMIT_BYTES)));
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      return { kind: 'form', props: formProps(astro, type, {}, [{ field: 'message', message: t('errorSummary.tooLarge') }]), status: 413 };
    }
    throw error;
  }
  // The form token makes a double click or a resent post store the errand once.
  const token = values['formToken'];
  const submission = formToSubmission(type, values, locale);
  let result;
  try {
    result = await receiveSubmission(services, submission, token ? `form:${token}` : undefined);
    // A changed form under a used token means the person went back after sending: a new errand.
    if (result.outcome === 'key_reused') result = await receiveSubmission(services, submission);
  } catch (error) {
    if (!(error instanceof StorageUnavailableError)) throw error;
    // Nothing was stored; the form comes back with everything typed, so nothing is lost.
    return { kind: 'form', props: formProps(astro, type, values, [{ field: FORM_ERROR, message: t('errorSummary.unavailable') }]), status: 503 };
  }
  switch (result.outcome) {
    case 'created':
    case 'replayed':
      return { kind: 'redirect', location: receiptPath(result.receipt.statusToken) };
    case 'invalid':
      return {
        kind: 'form',
        props: formProps(astro, type, values, result.errors.map((error) => ({ field: error.field, message: t(error.key) }))),
        status: 422,
      };
    case 'in_progress':
    case 'key_reused':
      return { kind: 'form', props: formProps(astro, type, values, [{ field: FORM_ERROR, message: t('errorSummary.inProgress') }]), status: 422 };
  }
}
