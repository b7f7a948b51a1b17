/**
 * The SMS rules that need no server: numbers in international form, the settings (all or none),
 * and how long the acknowledgement is in each language: one SMS (160 GSM-7 characters) where
 * the language is written in GSM-7, two UCS-2 parts (2 × 67) where it is not.
 */
import { describe, expect, it } from 'vitest';
import { formatDateWithoutWeekday } from '../../src/lib/dates';
import { LOCALES, type Locale } from '../../src/lib/locales';
import { internationalPhoneNumber } from '../../src/lib/phone';
import { smsSettingsFrom } from '../../src/server/sms/gateway';
import { statusLink } from '../../src/server/mail/messages';
import { acknowledgementSms, replySms } from '../../src/server/sms/messages';
import type { StoredSubmission } from '../../src/server/storage/index';

describe('internationalPhoneNumber', () => {
  it.each([
    ['+46701234567', '+46701234567'],
    ['070-123 45 67', '+46701234567'],
    ['0046 70 123 45 67', '+46701234567'],
    ['+358 (40) 123 4567', '+358401234567'],
    ['08-570 470 00', '+46857047000'],
  ])('%s is %s', (written, international) => {
    expect(internationalPhoneNumber(written)).toBe(international);
  });

  it.each(['', 'Varmdo', '12345', '+0701234567', '+46 70 123 45 67 89 01 23', '070123456x'])('%j is no number', (written) => {
    expect(internationalPhoneNumber(written)).toBeUndefined();
  });
});

describe('smsSettingsFrom', () => {
  const all = { SMS_GATEWAY_URL: 'https://api.46elks.com', SMS_GATEWAY_USER: 'u', SMS_GATEWAY_PASSWORD: 'p', SMS_FROM: 'Varmdo', SMS_WEBHOOK_SECRET: 's' };

  it('is nothing without any SMS variable, and everything with all of them', () => {
    expect(smsSettingsFrom({})).toBeUndefined();
    expect(smsSettingsFrom(all)).toEqual({ gatewayUrl: 'https://api.46elks.com', user: 'u', password: 'p', from: 'Varmdo', webhookSecret: 's' });
  });

  it('refuses a configuration in part, naming what is missing', () => {
    expect(() => smsSettingsFrom({ ...all, SMS_FROM: '', SMS_WEBHOOK_SECRET: ' ' })).toThrow(/SMS_FROM, SMS_WEBHOOK_SECRET/);
    expect(() => smsSettingsFrom({ ...all, SMS_GATEWAY_URL: 'inte en adress' })).toThrow(/SMS_GATEWAY_URL/);
  });
});

/** GSM 03.38's basic set; the extension characters count twice. */
const GSM_7 = new Set([...'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà']);
const GSM_7_EXTENSION = new Set([...'^{}\\[~]|€']);
const isGsm7 = (text: string) => [...text].every((character) => GSM_7.has(character) || GSM_7_EXTENSION.has(character));
const gsm7Length = (text: string) => [...text].reduce((length, character) => length + (GSM_7_EXTENSION.has(character) ? 2 : 1), 0);

function errandBySms(language: Locale, replyBy = '2026-09-30'): StoredSubmission {
  return {
    id: 1,
    reference: 'VDO-2026-000042',
    type: 'question',
    status: 'received',
    channel: 'sms',
    submission: { type: 'question', message: 'När töms soptunnorna?', contact: { phone: '+46701234567' }, language },
    receivedAt: new Date('2026-09-28T08:00:00Z'),
    replyBy,
    handlingUnit: 'kontaktcenter',
    statusTokenHash: '',
    photos: [],
    purgedAt: null,
  } as StoredSubmission;
}

/** A status link as long as the municipality's: its host, the language's prefix and a 32-character token. */
const linkIn = (locale: Locale) => statusLink('https://etjanster.varmdo.se', locale, 'A'.repeat(32));
/** The acknowledgement with the reply-by date whose month takes the most room in the language. */
function longestAcknowledgement(locale: Locale): string {
  const months = Array.from({ length: 12 }, (_, index) => `2026-${String(index + 1).padStart(2, '0')}-28`);
  return months.map((date) => acknowledgementSms(errandBySms(locale, date), linkIn(locale))!.message).sort((a, b) => [...b].length - [...a].length)[0]!;
}

describe('the acknowledgement SMS', () => {
  for (const locale of LOCALES) {
    it(`in ${locale} says the reference, the date and the link within ${isGsm7(longestAcknowledgement(locale)) ? 'one GSM-7 SMS' : 'two UCS-2 parts'}, whatever the month`, () => {
      const { recipient, message } = acknowledgementSms(errandBySms(locale), linkIn(locale))!;
      expect(recipient).toBe('+46701234567');
      expect(message).toContain('VDO-2026-000042');
      expect(message).toContain(linkIn(locale));
      expect(message).toContain(formatDateWithoutWeekday('2026-09-30', locale));
      const longest = longestAcknowledgement(locale);
      if (isGsm7(longest)) expect(gsm7Length(longest)).toBeLessThanOrEqual(160);
      else expect([...longest].length).toBeLessThanOrEqual(2 * 67);
    });
  }

  it('is written in GSM-7 in Swedish, lättläst, English, Finnish and Somali', () => {
    for (const locale of ['sv', 'lattlast', 'en', 'fi', 'so'] as const) expect(isGsm7(longestAcknowledgement(locale)), locale).toBe(true);
  });

  it('goes only to an errand that came by SMS', () => {
    expect(acknowledgementSms({ ...errandBySms('sv'), channel: 'web' }, linkIn('sv'))).toBeUndefined();
    expect(replySms({ ...errandBySms('sv'), channel: 'phone' }, 'Svar', linkIn('sv'))).toBeUndefined();
  });
});
