/**
 * The contact page as a client sees it: the opening status written by the server (no
 * JavaScript needed), and schema.org JSON-LD that uses only the types and properties
 * schema.org defines for them, with values of the right form.
 */
import { describe, expect, inject, it } from 'vitest';
import { rawRequest, readConfig, sv } from './support';

const url = inject('url');

/** The schema.org types the page uses and the properties schema.org gives each (inherited ones included). */
const SCHEMA: Record<string, Record<string, (value: unknown) => boolean>> = {
  GovernmentOffice: {
    name: (value) => typeof value === 'string' && value.length > 0,
    url: (value) => typeof value === 'string' && URL.canParse(value),
    telephone: (value) => typeof value === 'string',
    email: (value) => typeof value === 'string' && value.includes('@'),
    address: (value) => isOfType(value, 'PostalAddress'),
    openingHoursSpecification: (value) => Array.isArray(value) && value.every((entry) => isOfType(entry, 'OpeningHoursSpecification')),
    specialOpeningHoursSpecification: (value) => Array.isArray(value) && value.every((entry) => isOfType(entry, 'OpeningHoursSpecification')),
  },
  PostalAddress: {
    streetAddress: (value) => typeof value === 'string',
    addressLocality: (value) => typeof value === 'string',
    postalCode: (value) => typeof value === 'string' && /^\d{3} ?\d{2}$/.test(value),
    addressCountry: (value) => value === 'SE',
  },
  OpeningHoursSpecification: {
    dayOfWeek: (value) => typeof value === 'string' && /^https:\/\/schema\.org\/(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)$/.test(value),
    opens: (value) => typeof value === 'string' && /^\d{2}:\d{2}$/.test(value),
    closes: (value) => typeof value === 'string' && /^\d{2}:\d{2}$/.test(value),
    validFrom: (value) => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value),
    validThrough: (value) => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value),
  },
};

function isOfType(value: unknown, type: string): boolean {
  if (value === null || typeof value !== 'object') return false;
  const { '@type': actual, '@context': _context, ...properties } = value as Record<string, unknown>;
  const known = SCHEMA[type];
  if (actual !== type || !known) return false;
  return Object.entries(properties).every(([name, property]) => known[name]?.(property) === true);
}

describe('the contact page', () => {
  it('says without JavaScript whether each channel is open now, and lists the regular hours', async () => {
    const page = await rawRequest(`${url}/kontakt`);
    expect(page.status).toBe(200);
    const statuses = [...page.text.matchAll(/data-opening-channel="(\w+)"[^>]*>([^<]+)</g)].map((match) => [match[1], match[2]]);
    expect(statuses.map(([channel]) => channel)).toEqual(['phone', 'visit']);
    const open = sv['contact.openNow']!.split('{{')[0]!;
    const closed = sv['contact.closedNow']!.split('{{')[0]!;
    for (const [, text] of statuses) expect(text!.startsWith(open) || text!.startsWith(closed)).toBe(true);
    expect(page.text).toContain('08:00–16:30');
    expect(page.headers['cache-control']).toBe('no-cache');
  });

  it('describes the office as schema.org GovernmentOffice JSON-LD with its opening hours', async () => {
    const page = await rawRequest(`${url}/kontakt`);
    const blocks = [...page.text.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((match) => JSON.parse(match[1]!));
    expect(blocks).toHaveLength(1);
    const office = blocks[0];
    expect(office['@context']).toBe('https://schema.org');
    expect(isOfType(office, 'GovernmentOffice')).toBe(true);
    const config = readConfig() as unknown as { contact: { phone: string }; openingHours: { channels: { visit: Record<string, unknown[]> } } };
    expect(office.telephone).toBe(config.contact.phone);
    const configuredRanges = Object.values(config.openingHours.channels.visit).flat().length;
    expect(office.openingHoursSpecification).toHaveLength(configuredRanges);
    expect(office.openingHoursSpecification[0]).toEqual({ '@type': 'OpeningHoursSpecification', dayOfWeek: 'https://schema.org/Monday', opens: '08:00', closes: '16:30' });
  });
});
