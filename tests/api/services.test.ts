/**
 * GET /api/v1/services and GET /healthz as a client sees them, checked against the
 * municipality configuration the server runs with.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { repositoryRoot } from '../helpers/server';
import { rawRequest, readConfig, type RawResponse } from './support';

const url = inject('url');
const config = readConfig();
const sv = JSON.parse(readFileSync(join(repositoryRoot, 'src/i18n/sv.json'), 'utf8')) as Record<string, string>;

describe('GET /api/v1/services', () => {
  let response: RawResponse;
  let services: any;

  beforeAll(async () => {
    response = await rawRequest(`${url}/api/v1/services`, { headers: { Accept: 'application/json' } });
    services = response.status === 200 ? response.json() : undefined;
  });

  it('answers 200 JSON', () => {
    expect(response.status, response.text).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json(;|$)/);
    expect(Object.keys(services).sort()).toEqual(['errandTypes', 'faultCategories', 'feedbackKinds', 'units']);
  });

  it('lists the four errand types with their reply promise from the configuration', () => {
    expect(services.errandTypes).toEqual([
      { type: 'question', name: 'Fråga', anonymousAllowed: true, replyWithinWorkingDays: config.replyWithinWorkingDays.question },
      { type: 'feedback', name: 'Synpunkt', anonymousAllowed: true, replyWithinWorkingDays: config.replyWithinWorkingDays.feedback },
      {
        type: 'fault_report',
        name: 'Felanmälan',
        anonymousAllowed: true,
        replyWithinWorkingDays: config.replyWithinWorkingDays.fault_report,
      },
      { type: 'proposal', name: 'E-förslag', anonymousAllowed: false, replyWithinWorkingDays: config.replyWithinWorkingDays.proposal },
    ]);
    // The configuration file's values as written today, so a wrong file shows up too.
    expect(services.errandTypes.map((type: { replyWithinWorkingDays: number }) => type.replyWithinWorkingDays)).toEqual([2, 2, 2, 10]);
  });

  it('lists the fault categories in configuration order with their units', () => {
    const unitName = (id: string) => config.units.find((unit) => unit.id === id)?.name.sv;
    expect(services.faultCategories).toEqual(
      config.faultCategories.map((category) => ({
        id: category.id,
        name: category.name.sv,
        unit: category.unit,
        unitName: unitName(category.unit),
      })),
    );
    expect(services.faultCategories).toHaveLength(9);
    expect(services.faultCategories.find((category: { id: string }) => category.id === 'gatubelysning')).toEqual({
      id: 'gatubelysning',
      name: 'Gatubelysning',
      unit: 'gator-och-parker',
      unitName: 'Gator, parker och natur',
    });
    expect(services.faultCategories.find((category: { id: string }) => category.id === 'kommunal-byggnad')?.unit).toBe(
      'kultur-och-fritid',
    );
  });

  it('lists the feedback kinds with their Swedish names', () => {
    expect(services.feedbackKinds).toEqual([
      { kind: 'praise', name: sv['feedback.kind.praise'] },
      { kind: 'complaint', name: sv['feedback.kind.complaint'] },
      { kind: 'suggestion', name: sv['feedback.kind.suggestion'] },
    ]);
    expect(services.feedbackKinds.map((kind: { name: string }) => kind.name)).toEqual(['Beröm', 'Klagomål', 'Förslag']);
  });

  it('lists the units', () => {
    expect(services.units).toEqual(config.units.map((unit) => ({ id: unit.id, name: unit.name.sv })));
    expect(services.units.map((unit: { id: string }) => unit.id)).toContain(config.defaultUnit);
    expect(services.units.map((unit: { id: string }) => unit.id)).toContain(config.proposalUnit);
  });
});

describe('GET /healthz', () => {
  it('answers 200 {status: "ok"} and is not cached', async () => {
    const response = await rawRequest(`${url}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json(;|$)/);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toEqual({ status: 'ok' });
  });
});
