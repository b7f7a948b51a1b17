/**
 * The one check every return path taken from a request goes through (issue 12, item 6): known
 * open-redirect bypasses are refused, and whatever it accepts a browser reads as a path of the
 * portal's own origin.
 */
import { describe, expect, it } from 'vitest';
import { safeReturnPath, staffReturnPath } from '../../src/lib/routes';
import { expectSameOrigin, OPEN_REDIRECT_PAYLOADS, SAFE_RETURN_PATHS } from '../helpers/open-redirect';

const PORTAL = 'https://kontakt.varmdo.se';

describe('safeReturnPath', () => {
  it.each(OPEN_REDIRECT_PAYLOADS)('refuses %j', (payload) => {
    expect(safeReturnPath(payload)).toBeUndefined();
  });

  it('refuses a missing value', () => {
    expect(safeReturnPath(null)).toBeUndefined();
    expect(safeReturnPath(undefined)).toBeUndefined();
  });

  it.each(SAFE_RETURN_PATHS)('keeps %j, which stays on the portal', (path) => {
    const kept = safeReturnPath(path);
    expect(kept).toBe(path);
    expectSameOrigin(kept, PORTAL, path);
  });

  it('gives a path a Location header can carry: percent-encoded ASCII', () => {
    expect(safeReturnPath('/svar/ärende?q=åäö')).toBe('/svar/%C3%A4rende?q=%C3%A5%C3%A4%C3%B6');
  });
});

describe('staffReturnPath', () => {
  it('keeps a staff page in Swedish or English, with its query', () => {
    expect(staffReturnPath('/handlaggning/arende/VDO-2026-000001')).toBe('/handlaggning/arende/VDO-2026-000001');
    expect(staffReturnPath('/en/handlaggning?status=received')).toBe('/en/handlaggning?status=received');
  });

  it('refuses a public page and every bypass', () => {
    expect(staffReturnPath('/fraga')).toBeUndefined();
    expect(staffReturnPath('/en/fraga?x=/handlaggning')).toBeUndefined();
    expect(staffReturnPath('/handlaggningar')).toBeUndefined();
    for (const payload of OPEN_REDIRECT_PAYLOADS) expect(staffReturnPath(payload), payload).toBeUndefined();
    expect(staffReturnPath('/\\evil.example/handlaggning')).toBeUndefined();
    expect(staffReturnPath('//evil.example/handlaggning')).toBeUndefined();
  });
});
