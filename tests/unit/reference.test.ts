import { describe, expect, it } from 'vitest';
import { exampleReference, formatReference, parseReference } from '../../src/lib/intake/reference';

describe('formatReference', () => {
  it('writes prefix, year and a six-digit number separated by hyphens', () => {
    expect(formatReference('VDO', 2026, 42)).toBe('VDO-2026-000042');
  });

  it.each([
    [1, 'VDO-2026-000001'],
    [9, 'VDO-2026-000009'],
    [10, 'VDO-2026-000010'],
    [123, 'VDO-2026-000123'],
    [12_345, 'VDO-2026-012345'],
    [999_999, 'VDO-2026-999999'],
  ])('pads sequence %i with zeros to six digits: %s', (sequence, expected) => {
    expect(formatReference('VDO', 2026, sequence)).toBe(expected);
  });

  it('keeps every digit of a sequence above 999 999 rather than truncating it', () => {
    expect(formatReference('VDO', 2026, 1_000_000)).toBe('VDO-2026-1000000');
    expect(formatReference('VDO', 2026, 1_234_567)).toBe('VDO-2026-1234567');
  });

  it('gives different references to different sequences and years', () => {
    const references = new Set([
      formatReference('VDO', 2026, 1),
      formatReference('VDO', 2026, 10),
      formatReference('VDO', 2026, 1_000_000),
      formatReference('VDO', 2027, 1),
    ]);
    expect(references.size).toBe(4);
  });

  it('uses the prefix and year it is given', () => {
    expect(formatReference('ABC', 2027, 7)).toBe('ABC-2027-000007');
  });

  it('has only digits and hyphens after the prefix, so it reads aloud without spelling', () => {
    expect(formatReference('VDO', 2026, 4711)).toMatch(/^VDO-\d{4}-\d{6}$/);
  });
});

describe('parseReference', () => {
  it.each([
    ['VDO-2026-000042', 'VDO-2026-000042'],
    [' vdo-2026-000042 ', 'VDO-2026-000042'],
    ['VDO - 2026 - 000042', 'VDO-2026-000042'],
    ['VDO-2026-1000000', 'VDO-2026-1000000'],
  ])('reads %j as %s', (typed, expected) => {
    expect(parseReference(typed, 'VDO')).toBe(expected);
  });

  it.each(['', 'VDO', '2026-000042', 'ABC-2026-000042', 'VDO-26-000042', 'VDO-2026-42', 'VDO-2026-00004x', 'XVDO-2026-000042'])(
    'refuses %j, which is no reference of the prefix VDO',
    (typed) => {
      expect(parseReference(typed, 'VDO')).toBeUndefined();
    },
  );

  it('reads back every reference formatReference writes', () => {
    for (const sequence of [1, 42, 999_999, 1_000_000]) expect(parseReference(formatReference('VDO', 2026, sequence), 'VDO')).toBe(formatReference('VDO', 2026, sequence));
  });
});

describe('exampleReference', () => {
  it('shows the prefix and the Swedish year of the moment', () => {
    // 23:30 on New Year's Eve in UTC is already the new year in Sweden.
    expect(exampleReference('VDO', new Date('2026-12-31T23:30:00Z'))).toBe('VDO-2027-000123');
  });
});
