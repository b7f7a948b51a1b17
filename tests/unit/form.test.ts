import { describe, expect, it } from 'vitest';
import { toFieldErrors } from '../../src/lib/intake/errors';
import { ANONYMOUS_ALLOWED, formToSubmission, readFormValues, REPLY_FIELD, type FormValues } from '../../src/lib/intake/form';
import { createSubmissionSchema, type ErrandType } from '../../src/lib/intake/schema';

const schema = createSubmissionSchema({ unitIds: ['kontaktcenter', 'gator-och-parker'], categoryIds: ['gatubelysning', 'ovrigt'] });

/** The body as it travels as JSON: fields left undefined disappear. */
function asJson(body: unknown): unknown {
  return JSON.parse(JSON.stringify(body));
}

function errorsOf(type: ErrandType, values: FormValues) {
  const result = schema.safeParse(formToSubmission(type, values, 'sv'));
  return result.success ? [] : toFieldErrors(result.error.issues);
}

describe('formToSubmission', () => {
  it('builds a question with a reply contact, dropping blank optional fields and the form token', () => {
    const body = formToSubmission(
      'question',
      {
        message: 'När töms soptunnorna?',
        unit: '',
        reply: 'yes',
        'contact.name': 'Anna Andersson',
        'contact.email': 'anna@example.se',
        'contact.phone': '',
        formToken: 'tok-123',
      },
      'sv',
    );
    expect(asJson(body)).toStrictEqual({
      type: 'question',
      language: 'sv',
      message: 'När töms soptunnorna?',
      contact: { name: 'Anna Andersson', email: 'anna@example.se' },
    });
    expect(body).not.toHaveProperty('formToken');
    expect(body).not.toHaveProperty('reply');
    expect(body['unit']).toBeUndefined();
    expect(schema.parse(body)).toEqual({
      type: 'question',
      message: 'När töms soptunnorna?',
      contact: { name: 'Anna Andersson', email: 'anna@example.se' },
      language: 'sv',
    });
  });

  it('passes the language it is given', () => {
    expect(formToSubmission('question', { message: 'Hej' }, 'sv')['language']).toBe('sv');
    expect(formToSubmission('question', { message: 'Hej' }, 'en')['language']).toBe('en');
  });

  it('keeps a chosen unit', () => {
    expect(asJson(formToSubmission('question', { message: 'Hej', unit: 'kontaktcenter', reply: 'no' }, 'sv'))).toStrictEqual({
      type: 'question',
      language: 'sv',
      message: 'Hej',
      unit: 'kontaktcenter',
      contact: null,
    });
  });

  it('builds anonymous feedback: reply=no gives contact null even with contact fields typed', () => {
    const body = formToSubmission(
      'feedback',
      {
        feedbackKind: 'complaint',
        unit: 'gator-och-parker',
        message: 'Det är halt på trottoaren.',
        reply: 'no',
        'contact.name': 'Anna',
        'contact.email': 'anna@example.se',
        'contact.phone': '070-123 45 67',
      },
      'sv',
    );
    expect(body).toStrictEqual({
      type: 'feedback',
      language: 'sv',
      feedbackKind: 'complaint',
      unit: 'gator-och-parker',
      message: 'Det är halt på trottoaren.',
      contact: null,
    });
    expect(schema.parse(body).contact).toBeNull();
  });

  it('keeps contact fields when a reply is wanted, a phone alone being enough', () => {
    const body = formToSubmission('feedback', { feedbackKind: 'praise', message: 'Tack!', reply: 'yes', 'contact.name': ' ', 'contact.phone': '070-123 45 67' }, 'sv');
    expect(asJson(body)).toStrictEqual({
      type: 'feedback',
      language: 'sv',
      feedbackKind: 'praise',
      message: 'Tack!',
      contact: { phone: '070-123 45 67' },
    });
    expect(schema.parse(body).contact).toEqual({ phone: '070-123 45 67' });
  });

  it('asks for an e-mail or phone when a reply is wanted but none was typed', () => {
    const values = { message: 'Hej', reply: 'yes', 'contact.name': 'Anna', 'contact.email': '', 'contact.phone': '' };
    expect(asJson(formToSubmission('question', values, 'sv'))).toStrictEqual({
      type: 'question',
      language: 'sv',
      message: 'Hej',
      contact: { name: 'Anna' },
    });
    expect(errorsOf('question', values)).toEqual([{ field: 'contact.email', key: 'error.contact.emailOrPhone' }]);
  });

  it('keeps what was typed as typed; the schema does the trimming', () => {
    const body = formToSubmission('question', { message: '  Hej  ', reply: 'yes', 'contact.email': 'anna@example.se' }, 'sv');
    expect(body['message']).toBe('  Hej  ');
    expect(schema.parse(body).message).toBe('Hej');
  });

  it('builds a fault report with a location, parsing comma decimals', () => {
    const body = formToSubmission(
      'fault_report',
      {
        category: 'gatubelysning',
        'location.description': 'Gångvägen vid skolan',
        'location.lat': '59,3',
        'location.lon': '18,4',
        message: 'Lampan lyser inte.',
        reply: 'no',
        formToken: 'tok',
      },
      'sv',
    );
    expect(body).toStrictEqual({
      type: 'fault_report',
      language: 'sv',
      category: 'gatubelysning',
      location: { description: 'Gångvägen vid skolan', lat: 59.3, lon: 18.4 },
      message: 'Lampan lyser inte.',
      contact: null,
    });
    expect(schema.parse(body)).toEqual({
      type: 'fault_report',
      category: 'gatubelysning',
      location: { description: 'Gångvägen vid skolan', lat: 59.3, lon: 18.4 },
      message: 'Lampan lyser inte.',
      contact: null,
      language: 'sv',
    });
  });

  it.each([
    ['59.3', 59.3],
    ['59,3', 59.3],
    [' 59,3 ', 59.3],
    ['-18,25', -18.25],
    ['59', 59],
    ['0', 0],
  ])('reads the coordinate %j as %d', (text, number) => {
    const body = formToSubmission('fault_report', { 'location.description': 'x', 'location.lat': text, 'location.lon': '18' }, 'sv');
    expect(body['location']).toEqual({ description: 'x', lat: number, lon: 18 });
  });

  it('drops blank coordinates', () => {
    const body = formToSubmission('fault_report', { category: 'ovrigt', 'location.description': 'Vid bryggan', 'location.lat': '', 'location.lon': '  ', message: 'x', reply: 'no' }, 'sv');
    expect(asJson(body)).toStrictEqual({
      type: 'fault_report',
      language: 'sv',
      category: 'ovrigt',
      location: { description: 'Vid bryggan' },
      message: 'x',
      contact: null,
    });
    expect(schema.safeParse(body).success).toBe(true);
  });

  it.each(['norr', '59°18′N', 'Infinity', '59,3,1'])('keeps the non-numeric coordinate %j as text so the schema reports it', (text) => {
    const values = { category: 'ovrigt', 'location.description': 'Vid bryggan', 'location.lat': text, 'location.lon': '18,4', message: 'x', reply: 'no' };
    const location = formToSubmission('fault_report', values, 'sv')['location'] as Record<string, unknown>;
    expect(typeof location['lat']).toBe('string');
    expect(location['lon']).toBe(18.4);
    expect(errorsOf('fault_report', values)).toEqual([{ field: 'location.lat', key: 'error.coordinates.invalid' }]);
  });

  it('reports a latitude without a longitude', () => {
    const values = { category: 'ovrigt', 'location.description': 'Vid bryggan', 'location.lat': '59,3', message: 'x', reply: 'no' };
    expect(errorsOf('fault_report', values)).toEqual([{ field: 'location.lat', key: 'error.coordinates.invalid' }]);
  });

  it('gives a fault report without a place field an empty place, so the schema asks for it', () => {
    const body = formToSubmission('fault_report', { category: 'ovrigt', message: 'x', reply: 'no' }, 'sv');
    expect(asJson(body)).toStrictEqual({ type: 'fault_report', language: 'sv', category: 'ovrigt', location: { description: '' }, message: 'x', contact: null });
    expect(errorsOf('fault_report', { category: 'ovrigt', message: 'x', reply: 'no' })).toEqual([
      { field: 'location.description', key: 'error.place.required' },
    ]);
  });

  it('adds no location to errands other than fault reports', () => {
    const body = formToSubmission('question', { message: 'Hej', 'location.description': 'Här', 'location.lat': '59', reply: 'no' }, 'sv');
    expect(body).not.toHaveProperty('location');
    expect(body).not.toHaveProperty('location.description');
  });

  it('builds a proposal, with a reason', () => {
    const body = formToSubmission(
      'proposal',
      {
        title: 'Fler bänkar',
        message: 'Längs strandpromenaden.',
        reason: 'Många äldre promenerar där.',
        'contact.name': 'Anna Andersson',
        'contact.email': 'anna@example.se',
        'contact.phone': '',
        formToken: 'tok',
      },
      'sv',
    );
    expect(asJson(body)).toStrictEqual({
      type: 'proposal',
      language: 'sv',
      title: 'Fler bänkar',
      message: 'Längs strandpromenaden.',
      reason: 'Många äldre promenerar där.',
      contact: { name: 'Anna Andersson', email: 'anna@example.se' },
    });
    expect(schema.safeParse(body).success).toBe(true);
  });

  it('always keeps a proposal’s contact, even with reply=no', () => {
    const body = formToSubmission('proposal', { title: 'T', message: 'M', reply: 'no', 'contact.name': 'Anna', 'contact.email': 'anna@example.se' }, 'sv');
    expect(asJson(body)).toStrictEqual({ type: 'proposal', language: 'sv', title: 'T', message: 'M', contact: { name: 'Anna', email: 'anna@example.se' } });
  });

  it('sends blank proposer name and e-mail as empty text so the schema says they are required', () => {
    const values = { title: 'T', message: 'M', reason: '', 'contact.name': '', 'contact.email': '' };
    expect(asJson(formToSubmission('proposal', values, 'sv'))).toStrictEqual({
      type: 'proposal',
      language: 'sv',
      title: 'T',
      message: 'M',
      contact: { name: '', email: '' },
    });
    expect(errorsOf('proposal', values)).toEqual([
      { field: 'contact.name', key: 'error.name.required' },
      { field: 'contact.email', key: 'error.email.required' },
    ]);
    expect(asJson(formToSubmission('proposal', { title: 'T', message: 'M' }, 'sv'))).toMatchObject({ contact: { name: '', email: '' } });
  });

  it('lets the schema report required fields left blank, in form order', () => {
    expect(errorsOf('feedback', { feedbackKind: '', unit: '', message: '   ', reply: 'no' })).toEqual([
      { field: 'feedbackKind', key: 'error.feedbackKind.required' },
      { field: 'message', key: 'error.message.required' },
    ]);
    expect(errorsOf('proposal', { title: '', message: '', 'contact.name': 'A', 'contact.email': 'a@example.se' })).toEqual([
      { field: 'title', key: 'error.title.required' },
      { field: 'message', key: 'error.message.required' },
    ]);
  });

  it('ANONYMOUS_ALLOWED names every errand but the proposal', () => {
    expect([...ANONYMOUS_ALLOWED].sort()).toEqual(['fault_report', 'feedback', 'question']);
    expect(REPLY_FIELD).toBe('reply');
  });

  // KNOWN BUG (reported): fields named `type` or `language` in the post overwrite the errand type
  // and language the caller passed. Remove `.fails` once the page's own type always wins.
  it('keeps the errand type of the page even if the post carries a type field', () => {
    const body = formToSubmission('question', { type: 'proposal', language: 'xx', message: 'Hej', reply: 'no' }, 'sv');
    expect(body['type']).toBe('question');
    expect(body['language']).toBe('sv');
  });
});

describe('readFormValues', () => {
  it('reads the text fields of a real FormData', () => {
    const data = new FormData();
    data.append('message', 'Hej\nrad två');
    data.append('unit', '');
    data.append('contact.email', 'anna@example.se');
    data.append('reply', 'yes');
    data.append('formToken', 'tok-1');
    expect(readFormValues(data)).toStrictEqual({
      message: 'Hej\nrad två',
      unit: '',
      'contact.email': 'anna@example.se',
      reply: 'yes',
      formToken: 'tok-1',
    });
  });

  it('leaves out files', () => {
    const data = new FormData();
    data.append('message', 'Se bild');
    data.append('photo', new Blob(['bytes'], { type: 'image/png' }), 'bild.png');
    expect(readFormValues(data)).toStrictEqual({ message: 'Se bild' });
  });

  it('returns an empty object for an empty form', () => {
    expect(readFormValues(new FormData())).toStrictEqual({});
  });

  it('keeps the last value of a repeated name', () => {
    const data = new FormData();
    data.append('reply', 'yes');
    data.append('reply', 'no');
    expect(readFormValues(data)).toStrictEqual({ reply: 'no' });
  });

  it('feeds formToSubmission and the schema end to end', () => {
    const data = new FormData();
    for (const [name, value] of Object.entries({
      category: 'gatubelysning',
      'location.description': 'Korsningen Skolvägen/Hamnvägen',
      'location.lat': '59,3264',
      'location.lon': '18,3765',
      message: 'Lampan blinkar.',
      reply: 'yes',
      'contact.name': '',
      'contact.email': '',
      'contact.phone': '070-123 45 67',
      formToken: 'tok-2',
    })) {
      data.append(name, value);
    }
    expect(schema.parse(formToSubmission('fault_report', readFormValues(data), 'sv'))).toEqual({
      type: 'fault_report',
      category: 'gatubelysning',
      location: { description: 'Korsningen Skolvägen/Hamnvägen', lat: 59.3264, lon: 18.3765 },
      message: 'Lampan blinkar.',
      contact: { phone: '070-123 45 67' },
      language: 'sv',
    });
  });
});
