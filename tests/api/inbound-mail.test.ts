/**
 * The one e-mail address: a real Dovecot holds the municipality's mailbox, a real portal reads it
 * over IMAP and sends over SMTP to the in-process SMTP server. Messages are delivered as a mail
 * server delivers them (into the maildir) and the test looks at what the errands, the folders,
 * the status page and the person's mail program get. Skipped, saying why, where Dovecot cannot run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { dovecotUnavailableReason, startDovecot, startMoveCuttingProxy, type TestDovecot } from '../helpers/dovecot';
import { repositoryRoot, startServer, type RunningServer } from '../helpers/server';
import { startTcpProxy } from '../helpers/tcp-proxy';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp';
import { metadataOf, photoWithGps } from '../helpers/photos';
import { addStaffUser } from '../helpers/staff';
import { csrfOf, dateInSweden, rawRequest, StaffBrowser, sv, workingDaysAfter, withDatabase } from './support';

const database = inject('databaseKind');
const unavailable = dovecotUnavailableReason();
const PORTAL = 'kommun@varmdo.se';
const ADMIN = { email: 'admin.inbound@varmdo.se', name: 'Ida Inkorg', role: 'admin' };

/** Waits until `probe` gives a value (not undefined), checking again as the portal works. */
async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await new Promise((wait) => setTimeout(wait, 200));
  }
}

const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
/** A raw message as a mail program makes it. */
async function compose(message: SendMailOptions): Promise<Buffer> {
  const { message: raw } = (await composer.sendMail({ to: PORTAL, ...message })) as unknown as { message: Buffer };
  return raw;
}

let counter = 0;
function uniqueId(): string {
  return `<test-${Date.now()}-${++counter}@example.se>`;
}

interface ErrandRow {
  id: number;
  reference: string;
  type: string;
  channel: string;
  status: string;
  handling_unit: string;
  reply_by: string;
  received_at: string;
  payload: string;
}

describe.skipIf(unavailable !== undefined)(`the mailbox the portal reads (${unavailable ?? 'Dovecot'})`, () => {
  let dovecot: TestDovecot;
  let smtp: TestSmtpServer;
  let portal: RunningServer;
  const env = () => ({ IMAP_URL: dovecot.url, IMAP_POLL_SECONDS: '1', SMTP_URL: smtp.url, MAIL_FROM: `"Värmdö kommun" <${PORTAL}>` });

  beforeAll(async () => {
    dovecot = await startDovecot();
    smtp = await startSmtpServer();
    portal = await startServer({ database, env: env() });
    addStaffUser(portal.databaseUrl, ADMIN);
  }, 60_000);
  afterAll(async () => {
    await portal?.stop();
    await smtp?.stop();
    await dovecot?.stop();
  });

  const errandsFrom = async (address: string) =>
    (await withDatabase((db) => db.query<ErrandRow>('SELECT * FROM submissions ORDER BY id'), portal.databaseUrl)).filter(
      (row) => JSON.parse(row.payload).contact?.email === address,
    );
  const errandOf = (address: string) => eventually(async () => (await errandsFrom(address))[0], `an errand from ${address}`);
  const caseFiles = (submissionId: number) =>
    withDatabase((db) => db.query<{ file_name: string; content_type: string; bytes: Buffer }>('SELECT file_name, content_type, bytes FROM case_files WHERE submission_id = ? ORDER BY id', [submissionId]), portal.databaseUrl);
  const events = (submissionId: number) =>
    withDatabase((db) => db.query<{ kind: string; data: string }>('SELECT kind, data FROM submission_events WHERE submission_id = ? ORDER BY id', [submissionId]), portal.databaseUrl);
  const processedIds = async () => (await dovecot.folder('Behandlade')).map((raw) => /^message-id:\s*(.+)$/im.exec(raw.toString('latin1'))?.[1]?.trim());
  const waitProcessed = (messageId: string) => eventually(async () => ((await processedIds()).includes(messageId) ? true : undefined), `${messageId} in Behandlade`);
  const ackTo = (address: string) => smtp.waitFor((message) => message.to !== undefined && JSON.stringify(message.to).includes(address));

  it('makes a plain message an errand answered within two working days, and acknowledges it in the same thread', { timeout: 60_000 }, async () => {
    const messageId = uniqueId();
    dovecot.deliver(await compose({ from: '"Anna Andersson" <anna.plain@example.se>', subject: 'Soptunnan', text: 'Min soptunna har inte tömts på två veckor.', messageId }));

    const errand = await errandOf('anna.plain@example.se');
    const payload = JSON.parse(errand.payload);
    expect(errand).toMatchObject({ type: 'question', channel: 'email', status: 'received', handling_unit: 'kontaktcenter' });
    expect(payload).toMatchObject({ message: 'Soptunnan\n\nMin soptunna har inte tömts på två veckor.', contact: { name: 'Anna Andersson', email: 'anna.plain@example.se' }, language: 'sv' });
    expect(errand.reply_by).toBe(workingDaysAfter(dateInSweden(new Date(errand.received_at)), 2));
    await waitProcessed(messageId);
    expect(await dovecot.folder('INBOX')).toEqual([]);

    const ack = await ackTo('anna.plain@example.se');
    expect(ack.subject).toBe(`Re: Soptunnan [${errand.reference}]`);
    expect(ack.inReplyTo).toBe(messageId);
    expect(ack.references).toBe(messageId);
    expect(ack.headers.get('auto-submitted')).toBe('auto-replied');
    expect(ack.messageId).toMatch(/^<[0-9a-f]{32}@varmdo\.se>$/);
    // The address takes answers now: the message says so, and still links the status page.
    expect(ack.text).toContain(sv['email.answerByEmail']);
    expect(ack.text).not.toContain(sv['email.doNotReply']);
    expect(ack.text).toMatch(/\/arende\/[A-Za-z0-9_-]{20,}/);
  });

  it('keeps what the person wrote now in the errand and the quoted history and signature for staff', { timeout: 60_000 }, async () => {
    const messageId = uniqueId();
    const text = 'Gatlampan på Skolvägen är trasig.\n\n-- \nBo Berg\nTel 070-123 45 67\n\nDen 1 dec. 2026 skrev Någon:\n> Tidigare text';
    dovecot.deliver(await compose({ from: 'bo.quote@example.se', subject: 'Lampa', text, messageId }));
    const errand = await errandOf('bo.quote@example.se');
    expect(JSON.parse(errand.payload).message).toBe('Lampa\n\nGatlampan på Skolvägen är trasig.');
    const [whole] = await caseFiles(errand.id);
    expect(whole?.file_name).toBe('meddelande.txt');
    expect(whole?.bytes.toString('utf8')).toContain('> Tidigare text');
  });

  it('takes the language the message names, answers in it, and keeps a text too long for an errand whole for staff', { timeout: 60_000 }, async () => {
    const long = `${'The bridge railing is loose. '.repeat(200)}END`;
    dovecot.deliver(await compose({ from: 'eve.english@example.se', subject: 'Railing', text: long, headers: { 'Content-Language': 'en-GB' }, messageId: uniqueId() }));
    const errand = await errandOf('eve.english@example.se');
    const payload = JSON.parse(errand.payload);
    expect(payload.language).toBe('en');
    expect(payload.message).toHaveLength(5000);
    expect(payload.message.endsWith('…')).toBe(true);
    const [whole] = await caseFiles(errand.id);
    expect(whole?.file_name).toBe('meddelande.txt');
    expect(whole?.bytes.toString('utf8')).toContain('END');
    const ack = await ackTo('eve.english@example.se');
    expect(ack.headers.get('content-language')).toBe('en');
    expect(ack.text).toContain(JSON.parse(readFileSync(join(repositoryRoot, 'src/i18n/en.json'), 'utf8'))['email.answerByEmail']);
  });

  it('turns an HTML-only message into plain text, script and markup gone', { timeout: 60_000 }, async () => {
    dovecot.deliver(
      await compose({
        from: 'cilla.html@example.se',
        subject: 'Parkering',
        html: '<html><head><style>p{color:red}</style><script>alert("x")</script></head><body><p>Bilar står <b>på trottoaren</b> vid skolan.</p></body></html>',
        messageId: uniqueId(),
      }),
    );
    const message = JSON.parse((await errandOf('cilla.html@example.se')).payload).message as string;
    expect(message).toContain('Bilar står på trottoaren vid skolan.');
    expect(message).not.toMatch(/<|alert|color:/);
  });

  it('keeps a photo cleaned of its GPS position and a PDF as staff-only files', { timeout: 60_000 }, async () => {
    const photo = await photoWithGps('jpeg');
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    dovecot.deliver(
      await compose({
        from: 'dan.files@example.se',
        subject: 'Trasig bänk',
        text: 'Se bild och brev.',
        messageId: uniqueId(),
        attachments: [
          { filename: 'bank.jpg', content: photo, contentType: 'image/jpeg' },
          { filename: 'brev.pdf', content: pdf, contentType: 'application/pdf' },
        ],
      }),
    );
    const errand = await errandOf('dan.files@example.se');
    const files = await caseFiles(errand.id);
    expect(files.map((file) => [file.file_name, file.content_type])).toEqual([
      ['bank.jpg', 'image/jpeg'],
      ['brev.pdf', 'application/pdf'],
    ]);
    expect((await metadataOf(files[0]!.bytes)).exif).toBe(false);
    expect(Buffer.compare(files[1]!.bytes, pdf)).toBe(0);
  });

  it('leaves auto-replies, bulk mail and mailing-list posts alone: no errand, no answer, moved to the processed folder', { timeout: 60_000 }, async () => {
    const noise = [
      { address: 'ei.auto@example.se', headers: { 'Auto-Submitted': 'auto-replied' }, messageId: uniqueId() },
      { address: 'ei.bulk@example.se', headers: { Precedence: 'bulk' }, messageId: uniqueId() },
      { address: 'ei.list@example.se', headers: { 'List-Id': '<grannar.example.se>' }, messageId: uniqueId() },
      { address: 'ei.own@example.se', from: PORTAL, headers: {}, messageId: uniqueId() },
    ];
    for (const message of noise) {
      dovecot.deliver(await compose({ from: message.from ?? message.address, subject: 'Frånvaro', text: 'Jag är borta till måndag.', headers: message.headers, messageId: message.messageId }));
    }
    for (const message of noise) await waitProcessed(message.messageId);
    for (const message of noise) expect(await errandsFrom(message.address)).toEqual([]);
    expect(smtp.messages.filter((sent) => /ei\.\w+@example\.se/.test(JSON.stringify(sent.to)))).toEqual([]);
    expect(await errandsFrom(PORTAL)).toEqual([]);
  });

  it('notes a bounce of its own acknowledgement on the errand, for staff, and makes no errand of it', { timeout: 60_000 }, async () => {
    dovecot.deliver(await compose({ from: 'finns.inte@example.se', subject: 'Fråga', text: 'Hej!', messageId: uniqueId() }));
    const errand = await errandOf('finns.inte@example.se');
    const ack = await ackTo('finns.inte@example.se');
    const bounceId = uniqueId();
    const bounce = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.example.se>',
      `To: ${PORTAL}`,
      'Return-Path: <>',
      'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: ${bounceId}`,
      'Auto-Submitted: auto-replied',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="gräns"',
      '',
      '--gräns',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Your message could not be delivered.',
      '--gräns',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.se',
      '',
      'Final-Recipient: rfc822; finns.inte@example.se',
      'Action: failed',
      'Status: 5.1.1',
      '--gräns',
      'Content-Type: text/rfc822-headers',
      '',
      `Message-ID: ${ack.messageId}`,
      `Subject: ${ack.subject}`,
      '--gräns--',
      '',
    ].join('\r\n');
    dovecot.deliver(bounce);
    await waitProcessed(bounceId);
    const undeliverable = await eventually(async () => (await events(errand.id)).find((event) => event.kind === 'undeliverable'), 'the undeliverable note');
    expect(JSON.parse(undeliverable.data)).toEqual({ text: 'finns.inte@example.se' });
    expect(await errandsFrom('MAILER-DAEMON@mx.example.se')).toEqual([]);

    const staff = new StaffBrowser(portal.url);
    await staff.signIn(ADMIN.email);
    const page = await staff.request(`/handlaggning/arende/${errand.reference}`);
    expect(page.text).toContain('E-post till personen kunde inte levereras');
    expect(page.text).toContain('finns.inte@example.se');
  });

  it('adds the answer to an acknowledgement to the same errand, reopens it after a reply, and threads the staff reply', { timeout: 90_000 }, async () => {
    const firstId = uniqueId();
    dovecot.deliver(await compose({ from: 'gun.reply@example.se', subject: 'Bygglov', text: 'Behöver jag bygglov för ett staket?', messageId: firstId }));
    const errand = await errandOf('gun.reply@example.se');
    const ack = await ackTo('gun.reply@example.se');

    // A caseworker answers: the reply goes in the thread, written by a person.
    const staff = new StaffBrowser(portal.url);
    await staff.signIn(ADMIN.email);
    const errandPath = `/handlaggning/arende/${errand.reference}`;
    const sent = await staff.request(errandPath, { form: { csrf: csrfOf(await staff.request(errandPath)), action: 'reply', reply: 'Nej, under 1,1 meter behövs inget bygglov.' } });
    expect(sent.status).toBe(303);
    const reply = await smtp.waitFor((message) => message.text?.includes('under 1,1 meter') === true);
    expect(reply.subject).toBe(`Re: Bygglov [${errand.reference}]`);
    expect(reply.inReplyTo).toBe(firstId);
    expect(reply.headers.get('auto-submitted')).toBeUndefined();

    // The person answers the reply from their mail program.
    const answerId = uniqueId();
    dovecot.deliver(
      await compose({
        from: 'Gun <gun.reply@example.se>',
        subject: `Re: Bygglov [${errand.reference}]`,
        text: `Tack! Och om det är 1,5 meter?\n\nDen 3 dec. 2026 skrev Värmdö kommun:\n> Nej, under 1,1 meter behövs inget bygglov.`,
        messageId: answerId,
        inReplyTo: reply.messageId,
        references: [firstId, ack.messageId!, reply.messageId!],
      }),
    );
    await waitProcessed(answerId);
    expect((await errandsFrom('gun.reply@example.se')).map((row) => [row.reference, row.status])).toEqual([[errand.reference, 'in_progress']]);
    const answer = (await events(errand.id)).find((event) => event.kind === 'resident_reply');
    expect(JSON.parse(answer!.data)).toEqual({ text: 'Tack! Och om det är 1,5 meter?', channel: 'email' });

    // On the status page the person sees their own answer.
    const statusUrl = /(http:\/\/\S+\/arende\/[A-Za-z0-9_-]+)/.exec(reply.text ?? '')![1]!;
    expect((await rawRequest(statusUrl)).text).toContain('Tack! Och om det är 1,5 meter?');

    // The next reply answers the person's latest message, the whole thread in References.
    await staff.request(errandPath, { form: { csrf: csrfOf(await staff.request(errandPath)), action: 'reply', reply: 'Då behövs bygglov.' } });
    const second = await smtp.waitFor((message) => message.text?.includes('Då behövs bygglov.') === true);
    expect(second.inReplyTo).toBe(answerId);
    expect(String(second.references)).toContain(firstId);
  });

  it('takes an answer by the reference in its subject only from the errand’s own address', { timeout: 60_000 }, async () => {
    dovecot.deliver(await compose({ from: 'hans.ref@example.se', subject: 'Snöröjning', text: 'När plogas Ekvägen?', messageId: uniqueId() }));
    const errand = await errandOf('hans.ref@example.se');
    const stranger = uniqueId();
    dovecot.deliver(await compose({ from: 'annan.person@example.se', subject: `Re: Snöröjning [${errand.reference}]`, text: 'Jag vill också veta.', messageId: stranger }));
    const own = uniqueId();
    dovecot.deliver(await compose({ from: 'hans.ref@example.se', subject: `Sv: Snöröjning [${errand.reference}]`, text: 'Det gäller även Tallvägen.', messageId: own }));
    await waitProcessed(own);
    await waitProcessed(stranger);
    expect(await errandsFrom('hans.ref@example.se')).toHaveLength(1);
    expect((await events(errand.id)).filter((event) => event.kind === 'resident_reply').map((event) => JSON.parse(event.data).text)).toEqual(['Det gäller även Tallvägen.']);
    // The stranger's message is an errand of its own, not lost.
    expect(await errandsFrom('annan.person@example.se')).toHaveLength(1);
  });

  it('makes one errand of a message delivered twice, and moves a message it cannot take to the folder for staff', { timeout: 60_000 }, async () => {
    const messageId = uniqueId();
    const raw = await compose({ from: 'ivar.twice@example.se', subject: 'Två gånger', text: 'Samma brev.', messageId });
    dovecot.deliver(raw);
    dovecot.deliver(raw);
    await errandOf('ivar.twice@example.se');
    await eventually(async () => ((await processedIds()).filter((id) => id === messageId).length === 2 ? true : undefined), 'both copies processed');
    expect(await errandsFrom('ivar.twice@example.se')).toHaveLength(1);

    const broken = uniqueId();
    dovecot.deliver(`Subject: Utan avsändare\r\nMessage-ID: ${broken}\r\nTo: ${PORTAL}\r\n\r\nVem skrev detta?\r\n`);
    const failed = await eventually(async () => {
      const folder = await dovecot.folder('Kunde inte läsas');
      return folder.some((message) => message.toString('latin1').includes(broken)) ? folder : undefined;
    }, 'the message without a sender in the failed folder');
    expect(failed.length).toBeGreaterThan(0);
    expect(portal.output()).toMatch(/"event":"inbound_email","outcome":"failed","reason":"no_sender"/);
  });

  it('makes no second errand after a crash between commit and move, nor with two instances reading the same mailbox', { timeout: 120_000 }, async () => {
    // The shared reader goes away (it has nothing in hand), so only the one about to crash reads.
    portal.process.kill('SIGKILL');
    await new Promise((resolve) => portal.process.once('exit', resolve));
    const proxy = await startMoveCuttingProxy(dovecot.url);
    const imap = new URL(dovecot.url);
    imap.port = String(proxy.port);
    const crashing = await startServer({ databaseUrl: portal.databaseUrl, env: { ...env(), IMAP_URL: imap.href } });
    const messageId = uniqueId();
    try {
      dovecot.deliver(await compose({ from: 'jan.crash@example.se', subject: 'Krasch', text: 'Kommer detta två gånger?', messageId }));
      await eventually(async () => (proxy.cuts() > 0 ? true : undefined), 'the move cut off');
      crashing.process.kill('SIGKILL');
      await new Promise((resolve) => crashing.process.once('exit', resolve));
    } finally {
      await crashing.stop();
      await proxy.close();
    }
    // Committed, and still in the INBOX: the state a crash between the two leaves.
    expect(await errandsFrom('jan.crash@example.se')).toHaveLength(1);
    expect((await dovecot.folder('INBOX')).some((raw) => raw.toString('latin1').includes(messageId))).toBe(true);

    const first = await startServer({ databaseUrl: portal.databaseUrl, env: env() });
    const second = await startServer({ databaseUrl: portal.databaseUrl, env: env() });
    try {
      const addresses = ['kim.two@example.se', 'lo.two@example.se', 'mia.two@example.se', 'nils.two@example.se'];
      for (const address of addresses) dovecot.deliver(await compose({ from: address, subject: 'Två läsare', text: 'En gång, tack.', messageId: uniqueId() }));
      for (const address of addresses) await errandOf(address);
      await eventually(async () => ((await dovecot.folder('INBOX')).length === 0 ? true : undefined), 'the INBOX emptied', 60_000);
      await waitProcessed(messageId);
      expect(`${first.output()}${second.output()}`).toContain('"event":"inbound_email","outcome":"duplicate"');
      expect(await errandsFrom('jan.crash@example.se')).toHaveLength(1);
      for (const address of addresses) expect(await errandsFrom(address)).toHaveLength(1);
      // One acknowledgement queued (the crashed process may hold its lease on it for a while).
      const queued = await withDatabase((db) => db.query('SELECT id FROM outgoing_emails WHERE recipient = ?', ['jan.crash@example.se']), portal.databaseUrl);
      expect(queued).toHaveLength(1);
    } finally {
      await first.stop();
      await second.stop();
    }
    // SIGTERM let the readers finish and log out: each process stopped by its drain, not by the SIGKILL that follows a hang.
    expect(first.output()).toContain('"event":"stopped"');
    expect(second.output()).toContain('"event":"stopped"');
  });

  it('reads on when the IMAP server went away and came back', { timeout: 90_000 }, async () => {
    const imap = new URL(dovecot.url);
    const proxy = await startTcpProxy('127.0.0.1', Number(imap.port));
    imap.port = String(proxy.port);
    const reader = await startServer({ databaseUrl: portal.databaseUrl, env: { ...env(), IMAP_URL: imap.href } });
    const connections = () => reader.output().match(/"event":"imap_connected"/g)?.length ?? 0;
    try {
      await eventually(async () => (connections() === 1 ? true : undefined), 'the reader connected');
      await proxy.cut();
      await eventually(async () => (reader.output().includes('"event":"imap_session_failed"') ? true : undefined), 'a failed reconnection');
      const messageId = uniqueId();
      dovecot.deliver(await compose({ from: 'olle.down@example.se', subject: 'Medan servern låg nere', text: 'Kommer detta fram?', messageId }));
      await proxy.restore();
      await errandOf('olle.down@example.se');
      await waitProcessed(messageId);
      expect(connections()).toBe(2);
    } finally {
      await reader.stop();
      await proxy.close();
    }
  });
});
