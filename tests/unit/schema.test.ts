import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldId, toFieldErrors, VALIDATION_MESSAGE_KEYS, type FieldError } from '../../src/lib/intake/errors';
import { canBeAnswered, createSubmissionSchema, TEXT_LIMITS } from '../../src/lib/intake/schema';

const UNITS = ['kontaktcenter', 'gator-och-parker'] as const;
const CATEGORIES = ['gatubelysning', 'ovrigt'] as const;
const schema = createSubmissionSchema({ unitIds: UNITS, categoryIds: CATEGORIES });

/** The parsed submission; fails the test with the field errors if the body is rejected. */
function accepted(body: unknown) {
  const result = schema.safeParse(body);
  if (!result.success) expect.fail(`rejected: ${JSON.stringify(toFieldErrors(result.error.issues))}`);
  return result.data;
}

/** The field errors for a body; fails the test if the body is accepted. */
function rejected(body: unknown): FieldError[] {
  const result = schema.safeParse(body);
  if (result.success) expect.fail(`accepted: ${JSON.stringify(result.data)}`);
  return toFieldErrors(result.error.issues);
}

const CONTACT = { name: 'Anna Andersson', email: 'anna@example.se' };
const QUESTION = { type: 'question', message: 'När töms soptunnorna?', contact: CONTACT };
const FEEDBACK = { type: 'feedback', feedbackKind: 'praise', message: 'Bra bemötande i receptionen.', contact: null };
const FAULT = {
  type: 'fault_report',
  category: 'gatubelysning',
  location: { description: 'Gångvägen vid Gustavsbergs centrum', lat: 59.3, lon: 18.4 },
  message: 'Lampan är trasig.',
};
const PROPOSAL = { type: 'proposal', title: 'Fler bänkar', message: 'Sätt upp fler bänkar längs strandpromenaden.', contact: CONTACT };

describe('createSubmissionSchema – valid minimal bodies', () => {
  it('accepts a question and fills in the language', () => {
    expect(accepted(QUESTION)).toEqual({
      type: 'question',
      message: 'När töms soptunnorna?',
      contact: { name: 'Anna Andersson', email: 'anna@example.se' },
      language: 'sv',
    });
  });

  it('accepts anonymous feedback (contact null)', () => {
    expect(accepted(FEEDBACK)).toEqual({
      type: 'feedback',
      feedbackKind: 'praise',
      message: 'Bra bemötande i receptionen.',
      contact: null,
      language: 'sv',
    });
  });

  it.each(['praise', 'complaint', 'suggestion'])('accepts feedbackKind %s', (feedbackKind) => {
    expect(accepted({ ...FEEDBACK, feedbackKind })).toMatchObject({ feedbackKind });
  });

  it('accepts a fault report and defaults contact to null', () => {
    expect(accepted(FAULT)).toEqual({
      type: 'fault_report',
      category: 'gatubelysning',
      location: { description: 'Gångvägen vid Gustavsbergs centrum', lat: 59.3, lon: 18.4 },
      message: 'Lampan är trasig.',
      contact: null,
      language: 'sv',
    });
  });

  it('accepts a fault report without coordinates', () => {
    expect(accepted({ ...FAULT, location: { description: 'Vid busshållplatsen' } })).toMatchObject({
      location: { description: 'Vid busshållplatsen' },
    });
  });

  it('accepts a proposal with a signed contact', () => {
    expect(accepted(PROPOSAL)).toEqual({
      type: 'proposal',
      title: 'Fler bänkar',
      message: 'Sätt upp fler bänkar längs strandpromenaden.',
      contact: { name: 'Anna Andersson', email: 'anna@example.se' },
      language: 'sv',
    });
  });

  it('defaults contact to null when it is left out of a question or feedback', () => {
    expect(accepted({ type: 'question', message: 'Hej' })).toEqual({ type: 'question', message: 'Hej', contact: null, language: 'sv' });
    expect(accepted({ type: 'feedback', feedbackKind: 'complaint', message: 'Hej' })).toMatchObject({ contact: null, language: 'sv' });
  });

  it('keeps an explicit language', () => {
    expect(accepted({ ...QUESTION, language: 'sv' }).language).toBe('sv');
  });

  it('accepts a known unit', () => {
    expect(accepted({ ...QUESTION, unit: 'gator-och-parker' })).toMatchObject({ unit: 'gator-och-parker' });
    expect(accepted({ ...FEEDBACK, unit: 'kontaktcenter' })).toMatchObject({ unit: 'kontaktcenter' });
  });

  it('accepts a reply contact with only a phone number, and with no name', () => {
    expect(accepted({ ...QUESTION, contact: { phone: '070-123 45 67' } }).contact).toEqual({ phone: '070-123 45 67' });
    expect(accepted({ ...QUESTION, contact: { email: 'a@example.se' } }).contact).toEqual({ email: 'a@example.se' });
    expect(accepted({ ...QUESTION, contact: { phone: '+46 8 570 470 00' } }).contact).toEqual({ phone: '+46 8 570 470 00' });
  });

  it('accepts a proposal reason and a proposer phone', () => {
    expect(
      accepted({ ...PROPOSAL, reason: 'Många äldre går där.', contact: { ...CONTACT, phone: '08-570 470 00' } }),
    ).toMatchObject({ reason: 'Många äldre går där.', contact: { phone: '08-570 470 00' } });
  });

  it('trims texts', () => {
    const parsed = accepted({ ...PROPOSAL, title: '  Fler bänkar  ', message: '\n Text \t', contact: { name: ' Anna ', email: ' anna@example.se ' } });
    expect(parsed).toMatchObject({ title: 'Fler bänkar', message: 'Text', contact: { name: 'Anna', email: 'anna@example.se' } });
  });

  it('accepts texts exactly at their limits', () => {
    expect(accepted({ ...QUESTION, message: 'x'.repeat(TEXT_LIMITS.message) }).message).toHaveLength(5000);
    expect(accepted({ ...PROPOSAL, title: 't'.repeat(150), reason: 'r'.repeat(3000) })).toMatchObject({ title: 't'.repeat(150) });
    expect(accepted({ ...FAULT, location: { description: 'd'.repeat(500) } }).type).toBe('fault_report');
    expect(accepted({ ...QUESTION, contact: { name: 'n'.repeat(200), email: 'a@example.se' } }).contact?.name).toHaveLength(200);
  });

  it('accepts coordinates at the edges of the globe', () => {
    expect(accepted({ ...FAULT, location: { description: 'x', lat: -90, lon: 180 } })).toMatchObject({ location: { lat: -90, lon: 180 } });
  });

  it('strips unknown keys at every level', () => {
    const parsed = accepted({
      ...FAULT,
      admin: true,
      status: 'closed',
      location: { ...FAULT.location, street: 'Skolvägen' },
      contact: { email: 'a@example.se', role: 'admin' },
    });
    expect(parsed).toEqual({
      type: 'fault_report',
      category: 'gatubelysning',
      location: { description: 'Gångvägen vid Gustavsbergs centrum', lat: 59.3, lon: 18.4 },
      message: 'Lampan är trasig.',
      contact: { email: 'a@example.se' },
      language: 'sv',
    });
    expect(accepted({ ...PROPOSAL, unit: 'kontaktcenter', feedbackKind: 'praise' })).not.toHaveProperty('unit');
  });
});

describe('createSubmissionSchema – error keys through toFieldErrors', () => {
  it.each([
    ['missing message', { type: 'question' }, [{ field: 'message', key: 'error.message.required' }]],
    ['empty message', { type: 'question', message: '' }, [{ field: 'message', key: 'error.message.required' }]],
    ['whitespace-only message', { type: 'question', message: ' \n\t ' }, [{ field: 'message', key: 'error.message.required' }]],
    ['message that is not text', { type: 'question', message: 42 }, [{ field: 'message', key: 'error.message.required' }]],
    ['too-long message', { type: 'question', message: 'x'.repeat(5001) }, [{ field: 'message', key: 'error.message.tooLong' }]],
    ['unknown unit', { ...QUESTION, unit: 'ekonomi' }, [{ field: 'unit', key: 'error.unit.invalid' }]],
    ['missing feedbackKind', { type: 'feedback', message: 'x' }, [{ field: 'feedbackKind', key: 'error.feedbackKind.required' }]],
    ['bad feedbackKind', { ...FEEDBACK, feedbackKind: 'rant' }, [{ field: 'feedbackKind', key: 'error.feedbackKind.required' }]],
    ['unknown category', { ...FAULT, category: 'vatten' }, [{ field: 'category', key: 'error.category.required' }]],
    ['missing category', { ...FAULT, category: undefined }, [{ field: 'category', key: 'error.category.required' }]],
    ['missing location', { ...FAULT, location: undefined }, [{ field: 'location', key: 'error.place.required' }]],
    ['blank place', { ...FAULT, location: { description: '  ' } }, [{ field: 'location.description', key: 'error.place.required' }]],
    ['too-long place', { ...FAULT, location: { description: 'd'.repeat(501) } }, [{ field: 'location.description', key: 'error.place.tooLong' }]],
    ['lat without lon', { ...FAULT, location: { description: 'x', lat: 59.3 } }, [{ field: 'location.lat', key: 'error.coordinates.invalid' }]],
    ['lon without lat', { ...FAULT, location: { description: 'x', lon: 18.4 } }, [{ field: 'location.lat', key: 'error.coordinates.invalid' }]],
    ['coordinate as text', { ...FAULT, location: { description: 'x', lat: 'norr', lon: 18.4 } }, [{ field: 'location.lat', key: 'error.coordinates.invalid' }]],
    [
      'coordinates out of range',
      { ...FAULT, location: { description: 'x', lat: 90.5, lon: -181 } },
      [
        { field: 'location.lat', key: 'error.coordinates.invalid' },
        { field: 'location.lon', key: 'error.coordinates.invalid' },
      ],
    ],
    ['bad email', { ...QUESTION, contact: { email: 'anna.example.se' } }, [{ field: 'contact.email', key: 'error.email.invalid' }]],
    ['too-long email', { ...QUESTION, contact: { email: `${'a'.repeat(250)}@b.se` } }, [{ field: 'contact.email', key: 'error.email.invalid' }]],
    ['bad phone', { ...QUESTION, contact: { phone: 'ring mig' } }, [{ field: 'contact.phone', key: 'error.phone.invalid' }]],
    ['too-long phone', { ...QUESTION, contact: { phone: '0'.repeat(31) } }, [{ field: 'contact.phone', key: 'error.phone.invalid' }]],
    ['contact name that is not text', { ...QUESTION, contact: { name: 7, email: 'a@example.se' } }, [{ field: 'contact.name', key: 'error.name.invalid' }]],
    ['too-long contact name', { ...QUESTION, contact: { name: 'n'.repeat(201), email: 'a@example.se' } }, [{ field: 'contact.name', key: 'error.name.tooLong' }]],
    ['contact with a name only', { ...QUESTION, contact: { name: 'Anna' } }, [{ field: 'contact.email', key: 'error.contact.emailOrPhone' }]],
    ['empty contact object', { ...FEEDBACK, contact: {} }, [{ field: 'contact.email', key: 'error.contact.emailOrPhone' }]],
    ['missing title', { ...PROPOSAL, title: undefined }, [{ field: 'title', key: 'error.title.required' }]],
    ['too-long title', { ...PROPOSAL, title: 't'.repeat(151) }, [{ field: 'title', key: 'error.title.tooLong' }]],
    ['reason that is not text', { ...PROPOSAL, reason: 5 }, [{ field: 'reason', key: 'error.reason.invalid' }]],
    ['too-long reason', { ...PROPOSAL, reason: 'r'.repeat(3001) }, [{ field: 'reason', key: 'error.reason.tooLong' }]],
    ['proposal without contact', { ...PROPOSAL, contact: undefined }, [{ field: 'contact', key: 'error.contact.required' }]],
    ['proposal with contact null', { ...PROPOSAL, contact: null }, [{ field: 'contact', key: 'error.contact.required' }]],
    ['proposal without name', { ...PROPOSAL, contact: { email: 'a@example.se' } }, [{ field: 'contact.name', key: 'error.name.required' }]],
    ['proposal with blank name', { ...PROPOSAL, contact: { name: ' ', email: 'a@example.se' } }, [{ field: 'contact.name', key: 'error.name.required' }]],
    ['proposal without email', { ...PROPOSAL, contact: { name: 'Anna', phone: '070-123 45 67' } }, [{ field: 'contact.email', key: 'error.email.required' }]],
    ['proposal with blank email', { ...PROPOSAL, contact: { name: 'Anna', email: '  ' } }, [{ field: 'contact.email', key: 'error.email.required' }]],
    ['proposal with bad email', { ...PROPOSAL, contact: { name: 'Anna', email: 'anna@' } }, [{ field: 'contact.email', key: 'error.email.invalid' }]],
    ['unknown language', { ...QUESTION, language: 'xx' }, [{ field: 'language', key: 'error.language.invalid' }]],
    ['unknown type', { ...QUESTION, type: 'complaint' }, [{ field: 'type', key: 'error.type.invalid' }]],
    ['missing type', { message: 'Hej' }, [{ field: 'type', key: 'error.type.invalid' }]],
    ['a string body', 'hej', [{ field: 'type', key: 'error.type.invalid' }]],
    ['a null body', null, [{ field: 'type', key: 'error.type.invalid' }]],
    ['a number body', 42, [{ field: 'type', key: 'error.type.invalid' }]],
  ] as const)('%s', (_, body, expected) => {
    expect(rejected(body)).toEqual(expected);
  });

  it('reports a contact that is not an object with a key the locale files have', () => {
    const errors = rejected({ ...QUESTION, contact: 'anna@example.se' });
    expect(errors.map((error) => error.field)).toEqual(['contact']);
    expect(VALIDATION_MESSAGE_KEYS).toContain(errors[0]?.key);
  });

  it('lists one error per field in the order a feedback form shows them', () => {
    expect(rejected({ type: 'feedback', feedbackKind: 'rant', unit: 'ekonomi', message: ' ', contact: { name: 'Anna' } })).toEqual([
      { field: 'feedbackKind', key: 'error.feedbackKind.required' },
      { field: 'unit', key: 'error.unit.invalid' },
      { field: 'message', key: 'error.message.required' },
      { field: 'contact.email', key: 'error.contact.emailOrPhone' },
    ]);
  });

  it('lists one error per field in the order a fault-report form shows them', () => {
    expect(
      rejected({ type: 'fault_report', category: 'vatten', location: { description: '', lat: 59.3 }, message: '', contact: { email: 'x' } }),
    ).toEqual([
      { field: 'category', key: 'error.category.required' },
      { field: 'location.description', key: 'error.place.required' },
      { field: 'location.lat', key: 'error.coordinates.invalid' },
      { field: 'message', key: 'error.message.required' },
      { field: 'contact.email', key: 'error.email.invalid' },
    ]);
  });

  it('lists one error per field in the order a proposal form shows them', () => {
    expect(
      rejected({ type: 'proposal', title: '', message: 'x'.repeat(5001), reason: 'r'.repeat(3001), contact: { name: '', email: '', phone: 'x' } }),
    ).toEqual([
      { field: 'title', key: 'error.title.required' },
      { field: 'message', key: 'error.message.tooLong' },
      { field: 'reason', key: 'error.reason.tooLong' },
      { field: 'contact.name', key: 'error.name.required' },
      { field: 'contact.email', key: 'error.email.required' },
      { field: 'contact.phone', key: 'error.phone.invalid' },
    ]);
  });

  it('lists one error per field in the order a question form shows them', () => {
    expect(rejected({ type: 'question', unit: 'ekonomi', contact: { email: 'nej', phone: '1' } })).toEqual([
      { field: 'message', key: 'error.message.required' },
      { field: 'unit', key: 'error.unit.invalid' },
      { field: 'contact.email', key: 'error.email.invalid' },
      { field: 'contact.phone', key: 'error.phone.invalid' },
    ]);
  });

  // KNOWN BUG (reported): in reply contacts `z.email().trim()` checks the format before trimming,
  // so " anna@example.se " is rejected for question/feedback/fault_report while a proposal accepts
  // it. Remove `.fails` when the schema trims before validating.
  it('accepts a reply e-mail typed with surrounding spaces, as proposals do', () => {
    expect(accepted({ ...QUESTION, contact: { email: ' anna@example.se ' } }).contact).toEqual({ email: 'anna@example.se' });
  });
});

describe('toFieldErrors', () => {
  const twoChecks = z.object({
    message: z.string().min(5, { error: 'error.message.required' }).regex(/^x/, { error: 'error.message.tooLong' }),
    contact: z.object({ email: z.string({ error: 'not a locale key' }) }),
  });

  it('keeps only the first error of a field and joins nested paths with dots', () => {
    const result = twoChecks.safeParse({ message: 'ab', contact: {} });
    expect(result.success).toBe(false);
    const issues = result.error?.issues ?? [];
    expect(issues.filter((issue) => issue.path[0] === 'message')).toHaveLength(2);
    expect(toFieldErrors(issues)).toEqual([
      { field: 'message', key: 'error.message.required' },
      { field: 'contact.email', key: 'error.field.invalid' },
    ]);
  });

  it('names an error without a path after the type field', () => {
    const result = z.string({ error: 'error.type.invalid' }).safeParse(1);
    expect(toFieldErrors(result.error?.issues ?? [])).toEqual([{ field: 'type', key: 'error.type.invalid' }]);
  });

  it('returns nothing for no issues', () => {
    expect(toFieldErrors([])).toEqual([]);
  });
});

describe('fieldId', () => {
  it.each([
    ['message', 'field-message'],
    ['contact.email', 'field-contact-email'],
    ['location.lat', 'field-location-lat'],
    ['formToken', 'field-formToken'],
  ])('%s → %s', (field, id) => {
    expect(fieldId(field)).toBe(id);
  });
});

describe('canBeAnswered', () => {
  it('is true with an e-mail or a phone and false when anonymous', () => {
    expect(canBeAnswered(accepted(QUESTION))).toBe(true);
    expect(canBeAnswered(accepted({ ...QUESTION, contact: { phone: '070-123 45 67' } }))).toBe(true);
    expect(canBeAnswered(accepted(FEEDBACK))).toBe(false);
    expect(canBeAnswered(accepted(FAULT))).toBe(false);
    expect(canBeAnswered(accepted(PROPOSAL))).toBe(true);
  });
});

describe('every key the schema produces is a known locale key', () => {
  it('VALIDATION_MESSAGE_KEYS has no duplicates and only error.* keys', () => {
    expect(new Set(VALIDATION_MESSAGE_KEYS).size).toBe(VALIDATION_MESSAGE_KEYS.length);
    for (const key of VALIDATION_MESSAGE_KEYS) expect(key).toMatch(/^error\.[a-zA-Z]+\.[a-zA-Z]+$/);
  });
});

describe('free text is cleaned before it is checked', () => {
  it('drops control characters but keeps tabs and line breaks', () => {
    const parsed = accepted({ ...QUESTION, message: 'Rad ett\u0000\u0007\r\n\tRad två\u007F' });
    expect(parsed.message).toBe('Rad ett\r\n\tRad två');
  });

  it('replaces a lone surrogate, keeps a real pair (emoji) whole', () => {
    expect(accepted({ ...QUESTION, message: 'A\uD800B 👍' }).message).toBe('A\uFFFDB 👍');
    expect(accepted({ ...QUESTION, contact: { ...CONTACT, name: '\uDC00Anna' } }).contact?.name).toBe('\uFFFDAnna');
  });

  it('counts a message of only control characters as empty', () => {
    expect(rejected({ ...QUESTION, message: '\u0000\u0001 ' })).toEqual([{ field: 'message', key: 'error.message.required' }]);
  });
});
