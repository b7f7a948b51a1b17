import { describe, expect, it } from 'vitest';
import { distanceMetres, matchNearby, placeKey } from '../../src/server/fault-reports';
import type { PublicFaultReport } from '../../src/server/storage/fault-reports';

const at = (reference: string, place: string, lat: number | null = null, lon: number | null = null): PublicFaultReport => ({
  reference,
  category: 'gatubelysning',
  place,
  lat,
  lon,
  status: 'received',
  receivedAt: '2026-12-01T08:00:00.000Z',
  replyBy: null,
  updatedAt: '2026-12-01T08:00:00.000Z',
  supports: 0,
});

describe('distanceMetres', () => {
  it('measures street-scale distances', () => {
    // One thousandth of a degree of latitude is about 111 metres everywhere.
    expect(distanceMetres({ lat: 59.3262, lon: 18.3871 }, { lat: 59.3272, lon: 18.3871 })).toBeCloseTo(111.2, 0);
    // A degree of longitude shrinks with the cosine of the latitude: about 57 km at 59°N.
    expect(distanceMetres({ lat: 59, lon: 18 }, { lat: 59, lon: 19 }) / 1000).toBeCloseTo(57.3, 0);
    expect(distanceMetres({ lat: 59.3, lon: 18.4 }, { lat: 59.3, lon: 18.4 })).toBe(0);
  });
});

describe('placeKey', () => {
  it('ignores case, punctuation and spacing, but not letters', () => {
    expect(placeKey('  Skogsbovägen 9, GUSTAVSBERG! ')).toBe(placeKey('skogsbovägen 9 gustavsberg'));
    expect(placeKey('Skogsbovägen 9')).not.toBe(placeKey('Skogsbovägen 19'));
    expect(placeKey('Ösby')).not.toBe(placeKey('Osby'));
  });
});

describe('matchNearby', () => {
  const reports = [
    at('A', 'Skogsbovägen 9', 59.3262, 18.3871),
    at('B', 'Vid badet', 59.3266, 18.3871),
    at('C', 'Hemmesta centrum', 59.34, 18.4),
    at('D', 'Hemmesta centrum'),
  ];

  it('finds reports within 150 metres, nearest first, and leaves out those further away', () => {
    expect(matchNearby(reports, { category: 'gatubelysning', lat: 59.3267, lon: 18.3871 }).map((found) => found.reference)).toEqual(['B', 'A']);
    expect(matchNearby(reports, { category: 'gatubelysning', lat: 59.33, lon: 18.3871 })).toEqual([]);
  });

  it('finds reports with the same place text, positioned or not', () => {
    expect(matchNearby(reports, { category: 'gatubelysning', place: 'hemmesta Centrum.' }).map((found) => found.reference)).toEqual(['C', 'D']);
    expect(matchNearby(reports, { category: 'gatubelysning', place: 'Hemmesta' })).toEqual([]);
  });

  it('offers at most five', () => {
    const many = Array.from({ length: 8 }, (_, index) => at(`R${index}`, 'Torget', 59.3262 + index * 0.0001, 18.3871));
    expect(matchNearby(many, { category: 'gatubelysning', lat: 59.3262, lon: 18.3871 })).toHaveLength(5);
  });
});
