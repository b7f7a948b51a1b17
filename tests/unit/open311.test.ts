/**
 * The Open311 XML writer and the mapping between GeoReport v2 and our fault reports: escaping,
 * lists and empty values; statuses; a posted service request as a submission the intake's own
 * schema accepts or refuses; field errors named by Open311 parameter; nothing private on GET.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { municipalityConfigSchema } from '../../src/config/schema';
import { createTranslate } from '../../src/lib/i18n';
import { toFieldErrors } from '../../src/lib/intake/errors';
import { createSubmissionSchema } from '../../src/lib/intake/schema';
import { errandStatusesOf, open311Descriptions, open311StatusOf, submissionFromServiceRequest, toServiceRequest } from '../../src/server/open311/mapping';
import { formatOfPath, open311Error } from '../../src/server/open311/responses';
import { escapeXml, toXmlDocument } from '../../src/server/open311/xml';
import type { PublicFaultReport } from '../../src/server/storage/fault-reports';

const config = municipalityConfigSchema.parse(JSON.parse(readFileSync('config/varmdo.json', 'utf8')));
const schema = createSubmissionSchema({ unitIds: config.units.map((unit) => unit.id), categoryIds: config.faultCategories.map((category) => category.id) });
const en = createTranslate('en');
const sv = createTranslate('sv');

describe('the XML writer', () => {
  it('escapes markup and quotes, and drops characters XML cannot carry', () => {
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;');
    expect(escapeXml('bell\u0007 nul\u0000 tab\t line\n lone\uD800 pair\uD83D\uDE00 \uFFFF')).toBe('bell nul tab\t line\n lone pair\uD83D\uDE00 ');
  });

  it('writes members as elements, list items under the spec’s item names, and empty values as empty elements', () => {
    const xml = toXmlDocument('service_requests', [
      { service_request_id: 'VDO-2026-000001', lat: 59.3, status_notes: null, media_url: undefined, metadata: false },
      { service_request_id: 'VDO-2026-000002' },
    ]);
    expect(xml).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n<service_requests>' +
        '<request><service_request_id>VDO-2026-000001</service_request_id><lat>59.3</lat><status_notes/><media_url/><metadata>false</metadata></request>' +
        '<request><service_request_id>VDO-2026-000002</service_request_id></request>' +
        '</service_requests>\n',
    );
    expect(toXmlDocument('service_definition', { service_code: 'x', attributes: [] })).toContain('<attributes></attributes>');
    expect(toXmlDocument('discovery', { endpoints: [{ formats: ['text/xml'] }] })).toContain('<endpoints><endpoint><formats><format>text/xml</format></formats></endpoint></endpoints>');
  });

  it('refuses a list it has no item name for, rather than invent one', () => {
    expect(() => toXmlDocument('root', { things: ['a'] })).toThrow(/things/);
  });
});

describe('formats and errors', () => {
  it('reads the format from the extension, answering XML where there is none', () => {
    expect(formatOfPath('/open311/v2/services.json')).toEqual({ format: 'json', known: true });
    expect(formatOfPath('/open311/v2/requests/VDO-2026-000001.XML')).toEqual({ format: 'xml', known: true });
    expect(formatOfPath('/open311/v2/services.html')).toEqual({ format: 'xml', known: false });
    expect(formatOfPath('/open311/v2/services')).toEqual({ format: 'xml', known: false });
  });

  it('writes errors as the spec does, with the status as code', async () => {
    const json = open311Error('json', 403, ['one', 'two']);
    expect(json.status).toBe(403);
    expect(await json.json()).toEqual([
      { code: 403, description: 'one' },
      { code: 403, description: 'two' },
    ]);
    const xml = open311Error('xml', 404, 'a <b>');
    expect(xml.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    expect(await xml.text()).toContain('<errors><error><code>404</code><description>a &lt;b&gt;</description></error></errors>');
  });
});

describe('statuses', () => {
  it('counts a fault as open while it is received or in progress, closed once answered or closed', () => {
    expect(['received', 'in_progress', 'answered', 'closed'].map((status) => open311StatusOf(status as never))).toEqual(['open', 'open', 'closed', 'closed']);
    expect(errandStatusesOf('open')).toEqual(['received', 'in_progress']);
    expect(errandStatusesOf('closed')).toEqual(['answered', 'closed']);
  });
});

describe('a posted service request', () => {
  const fields = (values: Record<string, string>) => new URLSearchParams(values);

  it('becomes a fault report the intake schema accepts, with contact details when there is a way to answer', () => {
    const submission = submissionFromServiceRequest(
      fields({ service_code: 'gatubelysning', address_string: ' Skolvägen 12 ', lat: '59.3261', long: '-18.5', description: 'Lampan är släckt', email: 'a@example.se', first_name: 'Anna', last_name: 'Ek', phone: '', media_url: 'https://example.com/a.jpg', address_id: '42' }),
      'en',
      en,
    );
    const parsed = schema.safeParse(submission);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual({
      type: 'fault_report',
      category: 'gatubelysning',
      location: { description: 'Skolvägen 12', lat: 59.3261, lon: -18.5 },
      message: 'Lampan är släckt',
      contact: { name: 'Anna Ek', email: 'a@example.se' },
      language: 'en',
    });
  });

  it('describes the place by its position without address_string, and is anonymous with a name alone', () => {
    const submission = submissionFromServiceRequest(fields({ service_code: 'ovrigt', lat: '59.3', long: '18.4', description: 'x', first_name: 'Anna' }), 'sv', sv);
    expect(submission['location']).toEqual({ description: 'Plats: 59.3, 18.4', lat: 59.3, lon: 18.4 });
    expect(submission['contact']).toBeNull();
  });

  it('leaves text that is no number for the schema to refuse, under the Open311 parameter names', () => {
    const submission = submissionFromServiceRequest(fields({ service_code: 'ingen', lat: '59,3', long: '18.4', email: 'fel' }), 'en', en);
    const parsed = schema.safeParse(submission);
    expect(parsed.success).toBe(false);
    expect(open311Descriptions(toFieldErrors(parsed.error?.issues ?? []), en)).toEqual([
      `service_code: ${en('error.category.required')}`,
      `lat: ${en('error.coordinates.invalid')}`,
      `description: ${en('error.message.required')}`,
      `email: ${en('error.email.invalid')}`,
    ]);
  });
});

describe('a fault report on GET', () => {
  it('expects the reply by the end of the promised Swedish day, and promises none to an anonymous reporter', () => {
    const report = (replyBy: string | null): PublicFaultReport => ({
      reference: 'VDO-2026-000008',
      category: 'nedskrapning',
      place: 'Torget',
      lat: null,
      lon: null,
      status: 'received',
      receivedAt: '2026-06-30T08:00:00.000Z',
      updatedAt: '2026-06-30T08:00:00.000Z',
      replyBy,
      supports: 0,
    });
    expect(toServiceRequest(report('2026-07-02'), config, 'sv')['expected_datetime']).toBe('2026-07-02T23:59:59+02:00');
    expect(toServiceRequest(report('2026-01-05'), config, 'en')['expected_datetime']).toBe('2026-01-05T23:59:59+01:00');
    expect(toServiceRequest(report(null), config, 'sv')['expected_datetime']).toBeNull();
  });

  it('shows category, place, position, status and dates, and nothing else', () => {
    const report: PublicFaultReport = {
      replyBy: '2026-12-02',
      reference: 'VDO-2026-000007',
      category: 'nedskrapning',
      place: 'Torget',
      lat: 59.32,
      lon: 18.38,
      status: 'answered',
      receivedAt: '2026-11-30T08:00:00.000Z',
      updatedAt: '2026-12-01T09:30:00.000Z',
      supports: 3,
    };
    expect(toServiceRequest(report, config, 'sv')).toEqual({
      service_request_id: 'VDO-2026-000007',
      status: 'closed',
      status_notes: null,
      service_name: 'Nedskräpning och papperskorgar',
      service_code: 'nedskrapning',
      description: null,
      agency_responsible: 'Gator, parker och natur',
      service_notice: null,
      requested_datetime: '2026-11-30T08:00:00.000Z',
      updated_datetime: '2026-12-01T09:30:00.000Z',
      expected_datetime: '2026-12-02T23:59:59+01:00',
      address: 'Torget',
      address_id: null,
      zipcode: null,
      lat: 59.32,
      long: 18.38,
      media_url: null,
    });
  });
});
