/**
 * The municipality's configuration as its author meets it: the shipped file is valid, and each
 * address must come whole (its own postcode and town), or the server refuses to start and says
 * which value is wrong.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { municipalityConfigSchema } from '../../src/config/schema';
import { addressLines } from '../../src/lib/addresses';
import { repositoryRoot } from '../helpers/server';

const shipped = JSON.parse(readFileSync(join(repositoryRoot, 'config/varmdo.json'), 'utf8'));

function withContact(change: (contact: Record<string, any>) => void): unknown {
  const config = structuredClone(shipped);
  change(config.contact);
  return config;
}

function problemPaths(config: unknown): string[] {
  const parsed = municipalityConfigSchema.safeParse(config);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join('.'));
}

describe('the contact addresses in the configuration', () => {
  it('are valid in the shipped file', () => {
    expect(problemPaths(shipped)).toEqual([]);
  });

  it('refuse an address without its own postcode, a postcode in another form, and a visiting address without a street', () => {
    expect(problemPaths(withContact((contact) => delete contact.visitingAddress.postalCode))).toEqual(['contact.visitingAddress.postalCode']);
    expect(problemPaths(withContact((contact) => (contact.postalAddress.postalCode = '13481')))).toEqual(['contact.postalAddress.postalCode']);
    expect(problemPaths(withContact((contact) => delete contact.visitingAddress.street))).toEqual(['contact.visitingAddress.street']);
  });

  it('are written out the Swedish way, postcode and town on the last line', () => {
    expect(addressLines({ name: 'Värmdö kommun', postalCode: '134 81', locality: 'Gustavsberg' })).toEqual(['Värmdö kommun', '134 81 Gustavsberg']);
    expect(addressLines({ name: 'Kommunhuset', street: 'Skogsbovägen 9–11', postalCode: '134 81', locality: 'Gustavsberg' })).toEqual([
      'Kommunhuset',
      'Skogsbovägen 9–11',
      '134 81 Gustavsberg',
    ]);
  });
});
