/**
 * What a submission is, shared by the browser form and the server. The messages are locale
 * keys, never text, so the same schema speaks every language the portal does.
 */
import { z } from 'zod';
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

function requiredText(max: number, field: string) {
  return z
    .string({ error: `error.${field}.required` })
    .overwrite(cleanText)
    .trim()
    .min(1, { error: `error.${field}.required` })
    .max(max, { error: `error.${field}.tooLong` });
}

function optionalText(max: number, field: string) {
  return z
    .string({ error: `error.${field}.invalid` })
    .overwrite(cleanText)
    .trim()
    .max(max, { error: `error.${field}.tooLong` })
    .optional();
}

function choice(ids: readonly string[], errorKey: string) {
  return z.string({ error: errorKey }).refine((id) => ids.includes(id), { error: errorKey });
}

const email = z
  .string({ error: 'error.email.invalid' })
  .trim()
  .pipe(z.email({ error: 'error.email.invalid' }).max(TEXT_LIMITS.email, { error: 'error.email.invalid' }));

const phone = z
  .string({ error: 'error.phone.invalid' })
  .trim()
  .regex(/^\+?[0-9][0-9 ()-]{4,28}$/, { error: 'error.phone.invalid' });

/**
 * Contact details of someone who wants a reply: a way to reach them is required, a name is not.
 * Leaving contact out (null) is how a person stays anonymous.
 */
const replyContact = z
  .object(
    {
      name: optionalText(TEXT_LIMITS.name, 'name'),
      email: email.optional(),
      phone: phone.optional(),
    },
    { error: 'error.contact.invalid' },
  )
  .refine((contact) => contact.email !== undefined || contact.phone !== undefined, {
    error: 'error.contact.emailOrPhone',
    path: ['email'],
  });

/** A proposer is named when the proposal is published, and is answered by e-mail. */
const proposerContact = z.object(
  {
    name: requiredText(TEXT_LIMITS.name, 'name'),
    email: z.string({ error: 'error.email.required' }).trim().min(1, { error: 'error.email.required' }).pipe(email),
    phone: phone.optional(),
  },
  { error: 'error.contact.required' },
);

const coordinate = (min: number, max: number) =>
  z.number({ error: 'error.coordinates.invalid' }).min(min, { error: 'error.coordinates.invalid' }).max(max, {
    error: 'error.coordinates.invalid',
  });

const language = z.enum(LOCALES, { error: 'error.language.invalid' }).default(DEFAULT_LOCALE);

/**
 * Builds the submission schema for the municipality's configured units and categories:
 * a union on `type`, one branch per errand, fields in the order the forms show them (so error
 * summaries list problems from the top of the page down).
 */
export function createSubmissionSchema(options: SchemaOptions) {
  const unit = choice(options.unitIds, 'error.unit.invalid').optional();
  return z.discriminatedUnion(
    'type',
    [
      z.object({
        type: z.literal('question'),
        message: requiredText(TEXT_LIMITS.message, 'message'),
        unit,
        contact: replyContact.nullable().default(null),
        language,
      }),
      z.object({
        type: z.literal('feedback'),
        feedbackKind: z.enum(FEEDBACK_KINDS, { error: 'error.feedbackKind.required' }),
        unit,
        message: requiredText(TEXT_LIMITS.message, 'message'),
        contact: replyContact.nullable().default(null),
        language,
      }),
      z.object({
        type: z.literal('fault_report'),
        category: choice(options.categoryIds, 'error.category.required'),
        location: z
          .object(
            {
              description: requiredText(TEXT_LIMITS.place, 'place'),
              lat: coordinate(-90, 90).optional(),
              lon: coordinate(-180, 180).optional(),
            },
            { error: 'error.place.required' },
          )
          .refine((location) => (location.lat === undefined) === (location.lon === undefined), {
            error: 'error.coordinates.invalid',
            path: ['lat'],
          }),
        message: requiredText(TEXT_LIMITS.message, 'message'),
        contact: replyContact.nullable().default(null),
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

/** Whether the person can be answered: they left an e-mail address or a phone number. */
export function canBeAnswered(submission: Submission): boolean {
  return submission.contact !== null && (submission.contact.email !== undefined || submission.contact.phone !== undefined);
}
