/**
 * The contact page as a client sees it: the opening status written by the server (no
 * JavaScript needed), and schema.org JSON-LD that uses only the types and properties
 * schema.org defines for them, with values of the right form, each address and each channel's
 * hours where they belong.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addWorkingDays, swedishDate } from '../../src/lib/calendar';
import { startServer, type RunningServer } from '../helpers/server';
import { configPath, rawRequest, readConfig, sv } from './support';

const url = inject('url');
const database = inject('databaseKind');

/** The schema.org types the page uses and the properties schema.org gives each (inherited ones included). */
const SCHEMA: Record<string, Record<string, (value: unknown) => boolean>> = {
  GovernmentOffice: {
    name: (value) => typeof value === 'string' && value.length > 0,
    url: (value) => typeof value === 'string' && URL.canParse(value),
    telephone: (value) => typeof value === 'string',
    email: (value) => typeof value === 'string' && value.includes('@'),
    address: (value) => isOfType(value, 'PostalAddress'),
    location: (value) => isOfType(value, 'Place'),
    contactPoint: (value) => isOfType(value, 'ContactPoint'),
    openingHoursSpecification: (value) => isListOf(value, 'OpeningHoursSpecification'),
    specialOpeningHoursSpecification: (value) => isListOf(value, 'OpeningHoursSpecification'),
  },
  Place: {
    name: (value) => typeof value === 'string' && value.length > 0,
    address: (value) => isOfType(value, 'PostalAddress'),
    openingHoursSpecification: (value) => isListOf(value, 'OpeningHoursSpecification'),
    specialOpeningHoursSpecification: (value) => isListOf(value, 'OpeningHoursSpecification'),
  },
  ContactPoint: {
    contactType: (value) => typeof value === 'string' && value.length > 0,
    telephone: (value) => typeof value === 'string',
    email: (value) => typeof value === 'string' && value.includes('@'),
    hoursAvailable: (value) => isListOf(value, 'OpeningHoursSpecification'),
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

function isListOf(value: unknown, type: string): boolean {
  return Array.isArray(value) && value.every((entry) => isOfType(entry, type));
}

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

  it('describes the office as schema.org JSON-LD: the postal address on the office, the visiting address on its Place', async () => {
    const office = await officeJsonLd(url);
    expect(office['@context']).toBe('https://schema.org');
    expect(isOfType(office, 'GovernmentOffice')).toBe(true);
    const { contact } = readConfig() as unknown as { contact: ConfiguredContact };
    expect(office.telephone).toBe(contact.phone);
    expect(office.email).toBe(contact.email);
    expectSameAddress(office.address, contact.postalAddress);
    expect(office.location.name).toBe(contact.visitingAddress.name);
    expectSameAddress(office.location.address, contact.visitingAddress);
    expect(office.contactPoint.telephone).toBe(contact.phone);
    // The hours are the channels', not the whole office's.
    expect(office.openingHoursSpecification).toBeUndefined();
    expect(office.location.openingHoursSpecification[0]).toEqual({ '@type': 'OpeningHoursSpecification', dayOfWeek: 'https://schema.org/Monday', opens: '08:00', closes: '16:30' });
  });
});

interface ConfiguredAddress {
  name?: string;
  street?: string;
  postalCode: string;
  locality: string;
}

interface ConfiguredContact {
  phone: string;
  email: string;
  postalAddress: ConfiguredAddress;
  visitingAddress: ConfiguredAddress;
}

interface HoursSpecification {
  dayOfWeek?: string;
  validFrom?: string;
  validThrough?: string;
  opens: string;
  closes: string;
}

/** The one JSON-LD block of a server's contact page, parsed. */
async function officeJsonLd(origin: string): Promise<any> {
  const page = await rawRequest(`${origin}/kontakt`);
  expect(page.status).toBe(200);
  const blocks = [...page.text.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((match) => JSON.parse(match[1]!));
  expect(blocks).toHaveLength(1);
  return blocks[0];
}

/** A schema.org PostalAddress says a configured address's own parts, nothing borrowed from another. */
function expectSameAddress(published: Record<string, unknown>, configured: ConfiguredAddress): void {
  expect(published['@type']).toBe('PostalAddress');
  expect(published['streetAddress']).toBe(configured.street);
  expect(published['postalCode']).toBe(configured.postalCode);
  expect(published['addressLocality']).toBe(configured.locality);
  expect(published['addressCountry']).toBe('SE');
}

/**
 * The openings a list of OpeningHoursSpecification gives a date, read as schema.org defines it:
 * entries valid on the date replace the weekday's, and opening and closing at midnight is closed.
 */
function openingsOn(specifications: HoursSpecification[], date: string): [string, string][] {
  const special = specifications.filter((entry) => entry.validFrom !== undefined && entry.validFrom <= date && date <= (entry.validThrough ?? entry.validFrom));
  const weekday = new Date(`${date}T00:00:00Z`).toLocaleDateString('en-GB', { weekday: 'long', timeZone: 'UTC' });
  const applying = special.length > 0 ? special : specifications.filter((entry) => entry.dayOfWeek === `https://schema.org/${weekday}`);
  return applying.filter((entry) => !(entry.opens === '00:00' && entry.closes === '00:00')).map((entry) => [entry.opens, entry.closes]);
}

describe('the contact page JSON-LD on a day the desk is closed and the phone open', () => {
  let server: RunningServer;
  let configDirectory: string;
  // Two working days ahead: inside the weeks the page lists, never today (whatever the clock says).
  const deskClosed = addWorkingDays(swedishDate(new Date()), 2);

  beforeAll(async () => {
    configDirectory = mkdtempSync(join(tmpdir(), 'en-vag-in-contact-'));
    const config = JSON.parse(readFileSync(configPath, 'utf8'));
    config.openingHours.specialDays = [{ date: deskClosed, hours: [], channels: ['visit'] }];
    // The phone also answers on Saturdays, when the desk is always closed.
    config.openingHours.channels.phone.saturday = [['10:00', '14:00']];
    delete config.openingHours.channels.visit.saturday;
    writeFileSync(join(configDirectory, 'config.json'), JSON.stringify(config));
    server = await startServer({ database, env: { MUNICIPALITY_CONFIG: join(configDirectory, 'config.json') } });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(configDirectory, { recursive: true, force: true });
  });

  it('says the phone ContactPoint is open and the visiting Place closed that day, and each keeps its own week', async () => {
    const office = await officeJsonLd(server.url);
    expect(isOfType(office, 'GovernmentOffice')).toBe(true);
    const phone: HoursSpecification[] = office.contactPoint.hoursAvailable;
    const visits: HoursSpecification[] = [...office.location.openingHoursSpecification, ...office.location.specialOpeningHoursSpecification];
    expect(openingsOn(visits, deskClosed)).toEqual([]);
    expect(openingsOn(phone, deskClosed).length).toBeGreaterThan(0);
    expect(phone).toContainEqual({ '@type': 'OpeningHoursSpecification', dayOfWeek: 'https://schema.org/Saturday', opens: '10:00', closes: '14:00' });
    expect(visits.some((entry) => entry.dayOfWeek === 'https://schema.org/Saturday')).toBe(false);
    expect(office.location.specialOpeningHoursSpecification).toContainEqual({
      '@type': 'OpeningHoursSpecification',
      validFrom: deskClosed,
      validThrough: deskClosed,
      opens: '00:00',
      closes: '00:00',
    });
  });
});
