/**
 * What a submission is, shared by the browser form and the server. The messages are locale
 * keys, never text, so the same schema speaks every language the portal does.
 */
// zod/mini: the same validation as zod with a fraction of the bytes in the form page's island.
import * as z from 'zod/mini';
import { DEFAULT_LOCALE, LOCALES } from '../locales';

// zod compiles object parsers with `new Function` where it may. The pages' Content-Security-
// Policy forbids eval, and zod's probe for it (made when the first object schema is built)
// would be reported as a violation on every form page. Without it, parsing a submission still
// takes microseconds, on the server as in the browser.
z.config({ jitless: true });

/** The four errands the portal takes in, as the intake API names them. */
export const ERRAND_TYPES = ['question', 'feedback', 'fault_report', 'proposal'] as const;
export type ErrandType = (typeof ERRAND_TYPES)[number];

/** The guideline's three kinds of synpunkt: beröm, klagomål, förslag. */
export const FEEDBACK_KINDS = ['praise', 'complaint', 'suggestion'] as const;
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];

/** Longest texts accepted, generous for real messages but bounded for storage and e-mail. */
export const TEXT_LIMITS = {
  message: 5000,
  title: 150,
  reason: 3000,
  place: 500,
  name: 200,
  email: 254,
  phone: 30,
} as const;

/** The configured choices a submission may refer to. */
export interface SchemaOptions {
  unitIds: readonly string[];
  categoryIds: readonly string[];
}

/**
 * Control characters other than tab and line breaks are invisible noise that PostgreSQL will
 * not even store (NUL), and a lone UTF-16 surrogate is not text: both are cleaned out of every
 * free text before it is checked, so what is stored is exactly what was validated.
 */
function cleanText(value: string): string {
  return value
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
    .replace(/([\uD800-\uDBFF][\uDC00-\uDFFF])|[\uD800-\uDFFF]/g, (_, pair: string | undefined) => pair ?? '\uFFFD');
}

/** A free text posted outside the submission (a staff reply, a person's answer), cleaned as the submission's are and trimmed; absent is empty. */
export function cleanedFreeText(value: string | undefined): string {
  return cleanText(value ?? '').trim();
}

function requiredText(max: number, field: string) {
  return z.string({ error: `error.${field}.required` }).check(
    z.overwrite(cleanText),
    z.trim(),
    z.minLength(1, { error: `error.${field}.required` }),
    z.maxLength(max, { error: `error.${field}.tooLong` }),
  );
}

function optionalText(max: number, field: string) {
  return z.optional(
    z.string({ error: `error.${field}.invalid` }).check(z.overwrite(cleanText), z.trim(), z.maxLength(max, { error: `error.${field}.tooLong` })),
  );
}

function choice(ids: readonly string[], errorKey: string) {
  return z.string({ error: errorKey }).check(z.refine((id) => ids.includes(id), { error: errorKey }));
}

const email = z.pipe(
  z.string({ error: 'error.email.invalid' }).check(z.trim()),
  z.email({ error: 'error.email.invalid' }).check(z.maxLength(TEXT_LIMITS.email, { error: 'error.email.invalid' })),
);

const phone = z.string({ error: 'error.phone.invalid' }).check(z.trim(), z.regex(/^\+?[0-9][0-9 ()-]{4,28}$/, { error: 'error.phone.invalid' }));

/**
 * Contact details of someone who wants a reply: a way to reach them is required, a name is not.
 * Leaving contact out (null) is how a person stays anonymous.
 */
const replyContact = z
  .object(
    {
      name: optionalText(TEXT_LIMITS.name, 'name'),
      email: z.optional(email),
      phone: z.optional(phone),
    },
    { error: 'error.contact.invalid' },
  )
  .check(
    z.refine((contact) => contact.email !== undefined || contact.phone !== undefined, {
      error: 'error.contact.emailOrPhone',
      path: ['email'],
    }),
  );

/** A proposer is named when the proposal is published, and is answered by e-mail. */
const proposerContact = z.object(
  {
    name: requiredText(TEXT_LIMITS.name, 'name'),
    email: z.pipe(z.string({ error: 'error.email.required' }).check(z.trim(), z.minLength(1, { error: 'error.email.required' })), email),
    phone: z.optional(phone),
  },
  { error: 'error.contact.required' },
);

const coordinate = (min: number, max: number) =>
  z.number({ error: 'error.coordinates.invalid' }).check(z.gte(min, { error: 'error.coordinates.invalid' }), z.lte(max, { error: 'error.coordinates.invalid' }));

const language = z._default(z.enum(LOCALES, { error: 'error.language.invalid' }), DEFAULT_LOCALE);

/** Contact details that may be left out: null (or absent) is an anonymous submission. */
const optionalReplyContact = z._default(z.nullable(replyContact), null);

/**
 * Builds the submission schema for the municipality's configured units and categories:
 * a union on `type`, one branch per errand, fields in the order the forms show them (so error
 * summaries list problems from the top of the page down).
 */
export function createSubmissionSchema(options: SchemaOptions) {
  const unit = z.optional(choice(options.unitIds, 'error.unit.invalid'));
  return z.discriminatedUnion(
    'type',
    [
      z.object({
        type: z.literal('question'),
        message: requiredText(TEXT_LIMITS.message, 'message'),
        unit,
        contact: optionalReplyContact,
        language,
      }),
      z.object({
        type: z.literal('feedback'),
        feedbackKind: z.enum(FEEDBACK_KINDS, { error: 'error.feedbackKind.required' }),
        unit,
        message: requiredText(TEXT_LIMITS.message, 'message'),
        contact: optionalReplyContact,
        language,
      }),
      z.object({
        type: z.literal('fault_report'),
        category: choice(options.categoryIds, 'error.category.required'),
        location: z
          .object(
            {
              description: requiredText(TEXT_LIMITS.place, 'place'),
              lat: z.optional(coordinate(-90, 90)),
              lon: z.optional(coordinate(-180, 180)),
            },
            { error: 'error.place.required' },
          )
          .check(
            z.refine((location) => (location.lat === undefined) === (location.lon === undefined), {
              error: 'error.coordinates.invalid',
              path: ['lat'],
            }),
          ),
        message: requiredText(TEXT_LIMITS.message, 'message'),
        contact: optionalReplyContact,
        language,
      }),
      z.object({
        type: z.literal('proposal'),
        title: requiredText(TEXT_LIMITS.title, 'title'),
        message: requiredText(TEXT_LIMITS.message, 'message'),
        reason: optionalText(TEXT_LIMITS.reason, 'reason'),
        contact: proposerContact,
        language,
      }),
    ],
    { error: 'error.type.invalid' },
  );
}

/** The schema for one municipality's submissions. */
export type SubmissionSchema = ReturnType<typeof createSubmissionSchema>;

/** A submission that passed validation, with defaults filled in. */
export type Submission = z.output<SubmissionSchema>;

/** Contact details as stored: absent for anonymous submissions. */
export type Contact = NonNullable<Submission['contact']>;

/** Whether a text is an e-mail address as every form of the portal accepts one (trimmed first). */
export function isEmailAddress(text: string): boolean {
  return z.safeParse(email, text).success;
}

/** Whether the person can be answered: they left an e-mail address or a phone number. */
export function canBeAnswered(submission: Submission): boolean {
  return submission.contact !== null && (submission.contact.email !== undefined || submission.contact.phone !== undefined);
}
