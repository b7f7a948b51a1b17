/**
 * The server side of the errand forms: what a form page shows on GET, and what a post without
 * JavaScript leads to — a 303 to the receipt, or the form again with errors and values kept.
 */
import { randomUUID } from 'node:crypto';
import type { AstroGlobal } from 'astro';
import { localizedName, type MunicipalityConfig } from '../config/schema';
import type { Translate } from '../lib/i18n';
import { intlLocale, type Locale } from '../lib/locales';
import { FORM_ERROR, toFieldErrors, VALIDATION_MESSAGE_KEYS, type FieldError, type ShownError } from '../lib/intake/errors';
import {
  blankFormValues,
  formToSubmission,
  HONEYPOT_FIELD,
  NEARBY_SHOWN_FIELD,
  PHOTO_ERRANDS,
  PHOTOS_FIELD,
  REMOVE_PHOTO_FIELD,
  STARTED_AT_FIELD,
  type FormValues,
} from '../lib/intake/form';
import type { ErrandFormProps, NearbyReport } from '../lib/intake/form-props';
import { FEEDBACK_KINDS, type ErrandType } from '../lib/intake/schema';
import { PRIVACY_PATH, errandPath, photoPath, receiptPath } from '../lib/routes';
import sv from '../i18n/sv.json';
import { looksHuman, signedStartTime } from './form-guard';
import { BodyRejectedError, FORM_FORMATS, publicOrigin, readRequestBody } from './http';
import { MAX_PHOTO_BYTES, MAX_PHOTOS, PHOTO_REJECTION_STATUS, PhotoRejectedError, photoFiles, photoRejectionError, processPhoto, type ProcessedPhoto } from './photos';
import { receiveSubmission, type IntakeOptions, type IntakeResult } from './intake';
import { nearbyOpenFaultReports, showFaultReport } from './fault-reports';
import { StorageUnavailableError, type PhotoInfo } from './storage/index';

/** Form tokens are UUIDs made by the server when it shows a form; anything else is replaced. */
const FORM_TOKEN_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The form token a post carries, or a new one when it carries none the server could have made. */
export function formTokenOf(values: FormValues): string {
  return FORM_TOKEN_PATTERN.test(values['formToken'] ?? '') ? (values['formToken'] as string) : randomUUID();
}

/** A form of text fields stays far below this even with every field full of multi-byte characters. */
export const FORM_BODY_LIMIT_BYTES = 256 * 1024;

/**
 * Receives what a form posted under its token: a double click or a resent post stores the errand
 * once, and a changed form under a used token (the person went back after sending) is a new errand.
 */
export async function receiveFormSubmission(
  services: App.Locals['services'],
  submission: unknown,
  token: string,
  options: Omit<IntakeOptions, 'idempotencyKey'>,
): Promise<IntakeResult> {
  const result = await receiveSubmission(services, submission, { ...options, idempotencyKey: `form:${token}` });
  return result.outcome === 'key_reused' ? receiveSubmission(services, submission, options) : result;
}

/** Locale keys whose texts the form shows, with or without JavaScript. */
const FORM_TEXT_KEYS = [
  ...Object.keys(sv).filter(
    (key) =>
      ['form.', 'errorSummary.', 'draft.', 'outbox.', 'geo.', 'nearby.'].some((prefix) => key.startsWith(prefix)) ||
      key === 'answers.suggestionsHeading' ||
      /^errand\.\w+\.name$/.test(key),
  ),
  ...VALIDATION_MESSAGE_KEYS,
  'layout.errorTitlePrefix',
];

/** What a form page renders. */
export type FormPageState =
  | { kind: 'redirect'; location: string }
  | { kind: 'form'; props: ErrandFormProps; status: 200 | 413 | 415 | 422 | 429 | 503 };

/** What the form's props are made from besides the form itself: the request's language and the municipality. */
export interface FormPropsContext {
  t: Translate;
  locale: Locale;
  localePath: (path: string) => string;
  config: MunicipalityConfig;
}

/**
 * The props of the errand form, from its values, errors and photos; the start time and honeypot
 * are already in `values`. Apart from the request, so the DOM tests render the island from the
 * same props as the page.
 */
export function errandFormProps(
  { t, locale, localePath, config }: FormPropsContext,
  type: ErrandType,
  values: FormValues,
  errors: ShownError[],
  photos: PhotoInfo[],
  nearby: NearbyReport[] = [],
): ErrandFormProps {
  return {
    type,
    action: localePath(errandPath(type)),
    language: locale,
    intlLocale: intlLocale(locale),
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
    privacyHref: localePath(PRIVACY_PATH),
    photos: photos.map((photo) => ({ ...photo, src: photoPath(photo.publicId) })),
    nearby,
  };
}

/** The form as shown: every showing gets a fresh signed start time and an empty honeypot. */
async function formProps(
  astro: AstroGlobal,
  type: ErrandType,
  values: FormValues,
  errors: ShownError[],
  photos: PhotoInfo[],
  nearby: NearbyReport[] = [],
): Promise<ErrandFormProps> {
  const { t, locale, services, localePath } = astro.locals;
  values[STARTED_AT_FIELD] = await signedStartTime(services.store, new Date());
  values[HONEYPOT_FIELD] = '';
  return errandFormProps({ t, locale, localePath, config: services.config }, type, values, errors, photos, nearby);
}

/**
 * Before a fault report sent without JavaScript is stored, the open reports of its category at
 * the same place, once: the form then comes back with them and everything typed, and the next
 * post is sent whatever it finds. (With JavaScript the form offers them while it is filled in.)
 */
async function nearbyBeforeSending(astro: AstroGlobal, submission: Record<string, unknown>, values: FormValues): Promise<NearbyReport[]> {
  const { services, t, locale, localePath } = astro.locals;
  if (values[NEARBY_SHOWN_FIELD] === '1') return [];
  const parsed = services.schema.safeParse(submission);
  if (!parsed.success || parsed.data.type !== 'fault_report') return [];
  const { category, location } = parsed.data;
  const found = await nearbyOpenFaultReports(services.store, { category, place: location.description, lat: location.lat, lon: location.lon });
  return found.map((report) => showFaultReport(report, { t, locale, config: services.config, localePath }));
}

/** Handles a form page request: shows the empty form, or receives a post. */
export async function handleErrandForm(astro: AstroGlobal, type: ErrandType): Promise<FormPageState> {
  const { t, locale, services } = astro.locals;
  if (astro.request.method !== 'POST') {
    // A link may open the form with a unit chosen (the accessibility statement does: ?unit=…).
    const linkedUnit = astro.url.searchParams.get('unit') ?? '';
    const values = blankFormValues(type);
    // Coming back from the answers with the question still unanswered: the text is kept.
    const message = astro.url.searchParams.get('message');
    if (type === 'question' && message) values['message'] = message.slice(0, 5000);
    if (type !== 'fault_report' && type !== 'proposal' && services.config.units.some((unit) => unit.id === linkedUnit)) values['unit'] = linkedUnit;
    return { kind: 'form', props: await formProps(astro, type, values, [], []), status: 200 };
  }

  let posted: PostedForm;
  try {
    posted = await readPostedForm(astro);
  } catch (error) {
    // Too large: the form comes back (nothing of it could be kept); any other refusal is the middleware's answer.
    if (error instanceof BodyRejectedError && error.status === 413) {
      return { kind: 'form', props: await formProps(astro, type, {}, [{ field: 'message', message: t('errorSummary.tooLarge') }], []), status: 413 };
    }
    throw error;
  }
  const { values, files, removedPhotos } = posted;
  // The form token makes a double click or a resent post store the errand once, and keeps
  // photos chosen in an earlier post of the same form.
  const token = formTokenOf(values);
  values['formToken'] = token;
  const submission = formToSubmission(type, values, locale);
  const formBack = async (errors: ShownError[], photos: PhotoInfo[], status: 413 | 415 | 422 | 429 | 503) =>
    ({ kind: 'form', props: await formProps(astro, type, values, errors, photos), status }) as const;

  // Nothing is stored for a client over its limit; a person gets the form back with everything
  // typed and sends it again.
  if (astro.locals.retryAfterSeconds !== undefined) return formBack([{ field: FORM_ERROR, message: t('errorSummary.rateLimited') }], [], 429);

  let result;
  let photos: PhotoInfo[] = [];
  try {
    let photoError: Awaited<ReturnType<typeof keepNewPhotos>>;
    if (PHOTO_ERRANDS.has(type)) {
      await services.store.discardPendingPhotos(token, removedPhotos);
      photoError = await keepNewPhotos(services, token, files);
      photos = await services.store.pendingPhotos(token);
    }
    // What is missing or wrong comes first, so a person who pressed Send at once learns what to
    // fill in (issue 12, item 13); the bot checks below only hold back a form that is otherwise valid.
    const validation = services.schema.safeParse(submission);
    const fieldErrors = [...(validation.success ? [] : toFieldErrors(validation.error.issues)), ...(photoError ? [photoError.error] : [])];
    if (fieldErrors.length > 0) {
      return await formBack(fieldErrors.map((error) => ({ field: error.field, message: t(error.key, error.values) })), photos, photoError?.status ?? 422);
    }
    if (!(await looksHuman(services.store, values, new Date()))) {
      return await formBack([{ field: FORM_ERROR, message: t('errorSummary.checkAndResend') }], photos, 422);
    }
    const nearby = await nearbyBeforeSending(astro, submission, values);
    if (nearby.length > 0) return { kind: 'form', props: await formProps(astro, type, values, [], photos, nearby), status: 200 };
    const origin = publicOrigin(astro.url);
    result = await receiveFormSubmission(services, submission, token, { pendingPhotosOf: token, origin, channel: 'web' });
  } catch (error) {
    if (!(error instanceof StorageUnavailableError)) throw error;
    // Nothing was stored; the form comes back with everything typed, so nothing is lost.
    return await formBack([{ field: FORM_ERROR, message: t('errorSummary.unavailable') }], photos, 503);
  }
  switch (result.outcome) {
    case 'created':
    case 'replayed':
      return { kind: 'redirect', location: astro.locals.localePath(receiptPath(result.receipt.statusToken)) };
    case 'invalid':
      return formBack(result.errors.map((error) => ({ field: error.field, message: t(error.key) })), photos, 422);
    case 'in_progress':
    case 'key_reused':
      return formBack([{ field: FORM_ERROR, message: t('errorSummary.inProgress') }], photos, 422);
  }
}

/** What a form post carried. */
interface PostedForm {
  values: FormValues;
  files: File[];
  removedPhotos: string[];
}

/** Reads a form post: URL-encoded, or multipart when it carries photos. */
async function readPostedForm(astro: AstroGlobal): Promise<PostedForm> {
  const body = await readRequestBody(astro, { accept: FORM_FORMATS, limitBytes: FORM_BODY_LIMIT_BYTES, multipartLimitBytes: FORM_BODY_LIMIT_BYTES + MAX_PHOTOS * MAX_PHOTO_BYTES });
  if (body.format === 'json') return { values: {}, files: [], removedPhotos: [] };
  return {
    values: Object.fromEntries(body.fields),
    files: body.format === 'multipart' ? photoFiles(body.form, PHOTOS_FIELD) : [],
    removedPhotos: body.fields.getAll(REMOVE_PHOTO_FIELD),
  };
}

/**
 * Checks the photos of a post and keeps under the form token each one we accept, so a person
 * chooses again only the one refused; returns the error to show for the first file that is not
 * a photo we accept (naming it), or when there would be too many.
 */
async function keepNewPhotos(
  services: App.Locals['services'],
  token: string,
  files: readonly File[],
): Promise<{ error: FieldError; status: 413 | 415 | 422 } | undefined> {
  if (files.length === 0) return undefined;
  const kept = await services.store.pendingPhotos(token);
  if (kept.length + files.length > MAX_PHOTOS) return { error: { field: PHOTOS_FIELD, key: 'error.photos.tooMany' }, status: 422 };
  const accepted: ProcessedPhoto[] = [];
  let rejected: PhotoRejectedError | undefined;
  for (const file of files) {
    try {
      accepted.push(await processPhoto(new Uint8Array(await file.arrayBuffer()), file.name));
    } catch (error) {
      if (!(error instanceof PhotoRejectedError)) throw error;
      rejected ??= error;
    }
  }
  if (accepted.length > 0) await services.store.addPendingPhotos(token, accepted, new Date());
  if (rejected === undefined) return undefined;
  return { error: photoRejectionError(rejected), status: PHOTO_REJECTION_STATUS[rejected.reason] };
}
