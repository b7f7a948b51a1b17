/**
 * The contact centre registers an errand: what a person said on the phone or at the desk, wrote
 * in a letter or sent to a staff member, taken in with the same fields, schema and intake as the
 * web forms, so it gets the same reference, reply-by date, answering unit, acknowledgement and
 * status link. The staff member may record the answer they gave there and then (the errand is
 * then stored closed with it, in one step) and attach a letter's scan.
 */
import type { AstroGlobal } from 'astro';
import { isStaffChannel, type StaffChannel } from '../../lib/channels';
import { localizedName } from '../../config/schema';
import { formatWeekdayDate } from '../../lib/dates';
import { FORM_ERROR, toFieldErrors, type FieldError, type ShownError } from '../../lib/intake/errors';
import { blankFormValues, formToSubmission, type FormValues } from '../../lib/intake/form';
import { spokenReference } from '../../lib/intake/reference';
import { cleanedFreeText, TEXT_LIMITS, type ErrandType } from '../../lib/intake/schema';
import { DEFAULT_LOCALE, type Locale } from '../../lib/locales';
import { CSRF_FIELD, errandTypeOfSlug, staffRegisteredPath } from '../../lib/routes';
import { acceptCaseFile, MAX_CASE_FILE_BYTES } from '../case-files';
import { FORM_BODY_LIMIT_BYTES, formTokenOf, receiveFormSubmission } from '../forms';
import { BodyRejectedError, FORM_FORMATS, publicOrigin, readRequestBody, type RequestBody } from '../http';
import { findByStatusToken } from '../intake';
import { errandLocale, statusLink } from '../mail/messages';
import { PHOTO_REJECTION_STATUS, PhotoRejectedError, photoFiles } from '../photos';
import { StorageUnavailableError, type NewCaseFile, type StoredSubmission } from '../storage/index';
import { readStaffForm } from './access';

/** The registration form's own fields, besides the errand's (which are the public form's). */
export const REGISTER_FIELDS = {
  type: 'typ',
  channel: 'channel',
  language: 'language',
  answeredAtOnce: 'answeredAtOnce',
  answer: 'answer',
  scan: 'scan',
} as const;

const OWN_FIELDS = new Set<string>([REGISTER_FIELDS.channel, REGISTER_FIELDS.language, REGISTER_FIELDS.answeredAtOnce, REGISTER_FIELDS.answer, CSRF_FIELD]);

/** The form as shown: the errand type it is for, what was typed, what is wrong. */
export interface RegisterForm {
  type: ErrandType;
  formToken: string;
  values: FormValues;
  errors: ShownError[];
}

export type RegisterPageState = { kind: 'redirect'; location: string } | { kind: 'form'; status: 200 | 403 | 413 | 415 | 422 | 503; form: RegisterForm };

/** The errand type a registration is for: the `typ` query's form slug, a question when none. */
export function registrationType(url: URL): ErrandType {
  return errandTypeOfSlug(url.searchParams.get(REGISTER_FIELDS.type) ?? undefined) ?? 'question';
}

/** A new form: a phone call in Swedish whose caller wants a reply. */
function blankRegistration(type: ErrandType): FormValues {
  return { ...blankFormValues(type), [REGISTER_FIELDS.channel]: 'phone', [REGISTER_FIELDS.language]: DEFAULT_LOCALE };
}

/** What became of the scan posted with the form: none, one checked by its content, or the reason it was refused. */
type PostedScan = { file?: NewCaseFile; refused?: undefined } | { file?: undefined; refused: { error: FieldError; status: 413 | 415 | 422 } };

async function postedScan(body: RequestBody): Promise<PostedScan> {
  if (body.format !== 'multipart') return {};
  const [file] = photoFiles(body.form, REGISTER_FIELDS.scan);
  if (!file) return {};
  try {
    return { file: await acceptCaseFile(new Uint8Array(await file.arrayBuffer()), file.name) };
  } catch (error) {
    if (!(error instanceof PhotoRejectedError)) throw error;
    const values = { name: error.fileName, megabytes: String(MAX_CASE_FILE_BYTES / 1024 / 1024) };
    return { refused: { error: { field: REGISTER_FIELDS.scan, key: `staff.register.scan.${error.reason}`, values }, status: PHOTO_REJECTION_STATUS[error.reason] } };
  }
}

/** Handles the registration page: the empty form, or a post that registers the errand. */
export async function handleRegistration(astro: AstroGlobal): Promise<RegisterPageState> {
  const { services, t, staff } = astro.locals;
  const type = registrationType(astro.url);
  if (astro.request.method !== 'POST') return { kind: 'form', status: 200, form: { type, formToken: formTokenOf({}), values: blankRegistration(type), errors: [] } };

  const formBack = (status: 403 | 413 | 415 | 422 | 503, values: FormValues, errors: ShownError[]): RegisterPageState => ({
    kind: 'form',
    status,
    form: { type, formToken: formTokenOf(values), values, errors },
  });
  let body: RequestBody;
  try {
    body = await readRequestBody(astro, { accept: FORM_FORMATS, limitBytes: FORM_BODY_LIMIT_BYTES, multipartLimitBytes: FORM_BODY_LIMIT_BYTES + MAX_CASE_FILE_BYTES });
  } catch (error) {
    // Too large to read: nothing of it can be kept, so the form comes back empty with the reason.
    if (error instanceof BodyRejectedError && error.status === 413) {
      return formBack(413, blankRegistration(type), [{ field: REGISTER_FIELDS.scan, message: t('staff.register.scan.tooLarge', { megabytes: MAX_CASE_FILE_BYTES / 1024 / 1024 }) }]);
    }
    throw error;
  }
  const posted = await readStaffForm(astro);
  if (!posted) return formBack(403, blankRegistration(type), [{ field: FORM_ERROR, message: t('staff.forbidden.title') }]);
  const values: FormValues = { ...posted, formToken: formTokenOf(posted) };
  delete values[CSRF_FIELD];

  const errors: ShownError[] = [];
  let status: 413 | 415 | 422 = 422;
  const channel = values[REGISTER_FIELDS.channel];
  if (!isStaffChannel(channel)) errors.push({ field: REGISTER_FIELDS.channel, message: t('staff.register.channel.required') });
  const personValues = Object.fromEntries(Object.entries(values).filter(([name]) => !OWN_FIELDS.has(name)));
  const submission = formToSubmission(type, personValues, values[REGISTER_FIELDS.language] ?? DEFAULT_LOCALE);
  const validation = services.schema.safeParse(submission);
  if (!validation.success) errors.push(...toFieldErrors(validation.error.issues).map((error) => ({ field: error.field, message: t(error.key, error.values) })));
  const answeredAtOnce = values[REGISTER_FIELDS.answeredAtOnce] === 'yes';
  const answer = cleanedFreeText(values[REGISTER_FIELDS.answer]);
  if (answeredAtOnce && (answer === '' || answer.length > TEXT_LIMITS.message)) {
    errors.push({ field: REGISTER_FIELDS.answer, message: t(answer === '' ? 'staff.register.answer.required' : 'staff.register.answer.tooLong', { max: TEXT_LIMITS.message }) });
  }
  const scan = await postedScan(body);
  if (scan.refused) {
    errors.push({ field: scan.refused.error.field, message: t(scan.refused.error.key, scan.refused.error.values) });
    status = scan.refused.status;
  }
  if (errors.length > 0) return formBack(status, values, errors);

  try {
    const result = await receiveFormSubmission(services, submission, values['formToken'] as string, {
      origin: publicOrigin(astro.url),
      channel: channel as StaffChannel,
      registeredBy: staff!.user.id,
      files: scan.file ? [scan.file] : [],
      firstContactAnswer: answeredAtOnce ? answer : undefined,
    });
    switch (result.outcome) {
      case 'created':
      case 'replayed':
        return { kind: 'redirect', location: astro.locals.localePath(staffRegisteredPath(result.receipt.statusToken)) };
      case 'invalid':
        return formBack(422, values, result.errors.map((error) => ({ field: error.field, message: t(error.key, error.values) })));
      default:
        return formBack(422, values, [{ field: FORM_ERROR, message: t('errorSummary.inProgress') }]);
    }
  } catch (error) {
    if (!(error instanceof StorageUnavailableError)) throw error;
    // Nothing was stored; the form comes back with everything typed (a chosen file is chosen again).
    return formBack(503, values, [{ field: FORM_ERROR, message: t('errorSummary.unavailable') }]);
  }
}

/** The receipt of a registered errand, as the staff member reads it out or passes it on. */
export interface RegistrationReceipt {
  stored: StoredSubmission;
  /** A sentence to read aloud: the reference spelled out, who answers and by when, or that it was answered. */
  spoken: string;
  /** The person's status page, in their language, to give them or send them. */
  statusUrl: string;
}

/**
 * The receipt a status token opens, or undefined. The token is the permission, as on the
 * public receipt: the staff member who registered the errand gets it even when the errand
 * goes to a unit whose errands they do not handle.
 */
export async function registrationReceipt({ services, t, locale }: App.Locals, token: string | undefined, requestUrl: URL): Promise<RegistrationReceipt | undefined> {
  const stored = await findByStatusToken(services, token);
  if (!stored || token === undefined) return undefined;
  const unit = services.config.units.find((candidate) => candidate.id === stored.handlingUnit);
  const sentences = [t('staff.register.receipt.reference', { reference: spokenReference(stored.reference) })];
  if (stored.status === 'closed') sentences.push(t('staff.register.receipt.answered'));
  else if (stored.replyBy) {
    sentences.push(t('staff.register.receipt.promise', { unit: unit ? localizedName(unit.name, locale) : stored.handlingUnit, date: formatWeekdayDate(stored.replyBy, locale as Locale) }));
  }
  return { stored, spoken: sentences.join(' '), statusUrl: statusLink(publicOrigin(requestUrl), errandLocale(stored), token) };
}
