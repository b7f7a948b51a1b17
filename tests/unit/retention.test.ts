/**
 * What gallring keeps of a submission, when an errand's period has passed, and what the
 * configuration must say before anything is removed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { municipalityConfigSchema } from '../../src/config/schema';
import { createSubmissionSchema } from '../../src/lib/intake/schema';
import { monthsBefore } from '../../src/server/retention';
import { redactSubmission } from '../../src/server/storage/retention';

const schema = createSubmissionSchema({ unitIds: ['kontaktcenter'], categoryIds: ['gatubelysning'] });
const contact = { name: 'Anna Andersson', email: 'anna@example.se', phone: '070-123 45 67' };
const varmdo = JSON.parse(readFileSync('config/varmdo.json', 'utf8')) as Record<string, unknown>;
const decision = { title: 'Dokumenthanteringsplan', reference: 'KS 2026/1', decidedOn: '2026-01-15' };

describe('redactSubmission', () => {
  it('keeps a question’s or feedback’s classification and language, nothing written and no contact', () => {
    const question = schema.parse({ type: 'question', message: 'Min adress är Storgatan 5', unit: 'kontaktcenter', contact, language: 'fi' });
    expect(redactSubmission(question, false)).toEqual({ type: 'question', message: '', unit: 'kontaktcenter', contact: null, language: 'fi' });
    const feedback = schema.parse({ type: 'feedback', feedbackKind: 'complaint', message: 'Grannen', contact: null });
    expect(redactSubmission(feedback, false)).toEqual({ type: 'feedback', feedbackKind: 'complaint', message: '', contact: null, language: 'sv' });
  });

  it('keeps a fault report’s category but not its place, position or text', () => {
    const fault = schema.parse({ type: 'fault_report', category: 'gatubelysning', location: { description: 'Vid mitt hus', lat: 59.3, lon: 18.4 }, message: 'Släckt', contact });
    expect(redactSubmission(fault, false)).toEqual({ type: 'fault_report', category: 'gatubelysning', location: { description: '' }, message: '', contact: null, language: 'sv' });
  });

  it('keeps the title and texts of a published proposal, never its proposer, and nothing of an unpublished one', () => {
    const proposal = schema.parse({ type: 'proposal', title: 'Badbrygga', message: 'Vid viken', reason: 'Sommar', contact });
    expect(redactSubmission(proposal, true)).toEqual({ type: 'proposal', title: 'Badbrygga', message: 'Vid viken', reason: 'Sommar', contact: null, language: 'sv' });
    expect(redactSubmission(proposal, false)).toEqual({ type: 'proposal', title: '', message: '', contact: null, language: 'sv' });
  });
});

describe('monthsBefore', () => {
  it('counts calendar months back, and 0 months is now', () => {
    const now = new Date('2026-12-02T03:00:00Z');
    expect(monthsBefore(now, 0)).toEqual(now);
    expect(monthsBefore(now, 1).toISOString()).toBe('2026-11-02T03:00:00.000Z');
    expect(monthsBefore(now, 36).toISOString()).toBe('2023-12-02T03:00:00.000Z');
  });
});

describe('the retention configuration', () => {
  const withRetention = (retention: unknown) => municipalityConfigSchema.safeParse({ ...varmdo, retention });

  it('is optional: without it nothing is purged', () => {
    expect(municipalityConfigSchema.parse(varmdo).retention).toBeUndefined();
  });

  it('names the decision and takes months per errand type, a type left out never purged', () => {
    const parsed = withRetention({ decision: { ...decision, url: 'https://www.varmdo.se/beslut.pdf' }, monthsAfterClosed: { question: 24, fault_report: 0 } });
    expect(parsed.success).toBe(true);
    expect(parsed.data?.retention?.monthsAfterClosed).toEqual({ question: 24, fault_report: 0 });
  });

  it('refuses a period without a decision, a decision without its reference, and months that are not whole and positive', () => {
    expect(withRetention({ monthsAfterClosed: { question: 24 } }).success).toBe(false);
    expect(withRetention({ decision: { ...decision, reference: '' }, monthsAfterClosed: {} }).success).toBe(false);
    expect(withRetention({ decision, monthsAfterClosed: { question: -1 } }).success).toBe(false);
    expect(withRetention({ decision, monthsAfterClosed: { question: 1.5 } }).success).toBe(false);
    expect(withRetention({ decision: { ...decision, decidedOn: '15 januari 2026' }, monthsAfterClosed: {} }).success).toBe(false);
  });
});
