import { describe, expect, it } from 'vitest';
import { newPartOf } from '../../src/server/mail/inbound';
import { addressOf, inboundMessageKey, messageIdOf, ownMessageTokens, threadSubject } from '../../src/server/mail/mailbox';

const FROM = '"Värmdö kommun" <Kommun@Varmdo.se>';

describe('the new part of an e-mail', () => {
  it('stops at the quote a mail program adds, with its attribution line', () => {
    expect(newPartOf('Tack!\n\nDen 3 dec. 2026 kl. 10:02 skrev Värmdö kommun <kommun@varmdo.se>:\n> Svar')).toEqual({ fresh: 'Tack!', cut: true });
    expect(newPartOf('Thanks\nOn Thu, 3 Dec 2026, Värmdö kommun wrote:\n> Reply')).toEqual({ fresh: 'Thanks', cut: true });
  });

  it('stops at a signature and at an Outlook history, and keeps a line that only mentions writing', () => {
    expect(newPartOf('Hej\n-- \nBo')).toEqual({ fresh: 'Hej', cut: true });
    expect(newPartOf('Hej\n-----Ursprungligt meddelande-----\nFrån: x')).toEqual({ fresh: 'Hej', cut: true });
    expect(newPartOf('Jag skrev till er i mars:\nInget svar än.')).toEqual({ fresh: 'Jag skrev till er i mars:\nInget svar än.', cut: false });
  });

  it('keeps everything of a message that is all quote', () => {
    expect(newPartOf('> bara citat')).toEqual({ fresh: '> bara citat', cut: false });
  });
});

describe('the portal’s Message-IDs and threads', () => {
  it('finds its own ids in headers and reports, case aside, and no one else’s', () => {
    const id = messageIdOf('0123456789abcdef0123456789abcdef', FROM);
    expect(id).toBe('<0123456789abcdef0123456789abcdef@varmdo.se>');
    expect(ownMessageTokens(`<a@example.se> ${id.toUpperCase()} <0123456789abcdef0123456789abcdef@varmdo.se.evil>`, FROM)).toEqual(['0123456789abcdef0123456789abcdef']);
    expect(addressOf(FROM)).toBe('kommun@varmdo.se');
  });

  it('answers under the person’s subject with the reference once, whatever prefixes their program added', () => {
    expect(threadSubject('Soptunnan', 'VDO-2026-000042')).toBe('Re: Soptunnan [VDO-2026-000042]');
    expect(threadSubject('SV: Re: Soptunnan [VDO-2026-000042]', 'VDO-2026-000042')).toBe('Re: Soptunnan [VDO-2026-000042]');
    expect(threadSubject('', 'VDO-2026-000042')).toBe('Re: [VDO-2026-000042]');
  });

  it('knows a message without a Message-ID by the hash of its bytes', () => {
    const raw = Buffer.from('Subject: x\r\n\r\nhej\r\n');
    expect(inboundMessageKey(undefined, raw)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(inboundMessageKey(undefined, raw)).toBe(inboundMessageKey('  ', raw));
    expect(inboundMessageKey('<a@b>', raw)).toBe('<a@b>');
  });
});
