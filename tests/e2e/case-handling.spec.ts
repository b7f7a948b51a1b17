/**
 * The loop in a real browser: a resident reports a fault; a caseworker signs in, finds it,
 * assigns it and replies; the reply arrives by e-mail (a real SMTP server in this process) and
 * on the status page, where the resident rates how they were treated. A caseworker of another
 * unit gets 403. Every staff page, and the status page in each state, is scanned with axe.
 */
import Database from 'better-sqlite3';
import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations } from '../helpers/axe';
import { startServer, type RunningServer } from '../helpers/server';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp';
import { addStaffUser, STAFF_PASSWORD } from '../helpers/staff';
import { readReference, waitForEnhancement } from './journeys';

let server: RunningServer;
let smtp: TestSmtpServer;
test.beforeAll(async () => {
  smtp = await startSmtpServer();
  server = await startServer({ env: { SMTP_URL: smtp.url, FORM_MIN_FILL_SECONDS: '0' } });
  addStaffUser(server.databaseUrl, { email: 'vera@varmdo.se', name: 'Vera Vägar', role: 'caseworker', units: ['gator-och-parker'] });
  addStaffUser(server.databaseUrl, { email: 'sam@varmdo.se', name: 'Sam Skola', role: 'caseworker', units: ['barn-och-utbildning'] });
});
test.afterAll(async () => {
  await server.stop();
  await smtp.stop();
});

async function signIn(page: Page, email: string, path = '/handlaggning'): Promise<void> {
  await page.goto(`${server.url}${path}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Logga in' })).toBeVisible();
  await page.getByLabel('E-postadress').fill(email);
  await page.getByLabel('Lösenord').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Logga in' }).click();
}

test('a caseworker finds a new fault report, assigns and answers it; the resident reads the reply and rates it', async ({ page, browser }) => {
  test.setTimeout(90_000);
  // The resident.
  await page.goto(`${server.url}/felanmalan`);
  await waitForEnhancement(page);
  await page.getByLabel('Vad gäller felet?').selectOption({ label: 'Gatubelysning' });
  await page.getByLabel('Var är felet?').fill('Gångvägen vid Farstaviken');
  await page.getByLabel('Vad är fel?').fill('Tre lampor i rad är släckta.');
  await page.getByLabel('E-post', { exact: true }).fill('bo.boende@example.se');
  await page.getByRole('button', { name: 'Skicka felanmälan' }).click();
  const reference = await readReference(page);
  const acknowledgement = await smtp.waitFor((mail) => mail.subject === `Vi har tagit emot ditt ärende ${reference}`);
  expect(JSON.stringify(acknowledgement.to)).toContain('bo.boende@example.se');

  // The caseworker, in a browser of their own.
  const staffContext = await browser.newContext();
  const staff = await staffContext.newPage();
  await staff.goto(`${server.url}/handlaggning/logga-in`);
  await expectNoAxeViolations(staff, 'staff sign-in');
  await staff.getByLabel('E-postadress').fill('vera@varmdo.se');
  await staff.getByLabel('Lösenord').fill('fel lösenord');
  await staff.getByRole('button', { name: 'Logga in' }).click();
  await expect(staff.getByRole('link', { name: 'E-postadressen eller lösenordet stämmer inte.' })).toBeVisible();
  await expectNoAxeViolations(staff, 'staff sign-in with an error');
  await staff.getByLabel('Lösenord').fill(STAFF_PASSWORD);
  await staff.getByRole('button', { name: 'Logga in' }).click();

  await expect(staff.getByRole('heading', { level: 1, name: 'Inkorg' })).toBeVisible();
  await expectNoAxeViolations(staff, 'staff inbox');
  await staff.getByLabel('Status').selectOption({ value: 'received' });
  await staff.getByRole('button', { name: 'Visa ärenden' }).click();
  const row = staff.getByRole('row', { name: new RegExp(reference) });
  await expect(row).toContainText('Gatubelysning');
  await expect(row).toContainText('Ingen');
  await expectNoAxeViolations(staff, 'staff inbox, filtered');
  await row.getByRole('link', { name: reference }).click();

  await expect(staff.getByRole('heading', { level: 1, name: `Ärende ${reference}` })).toBeVisible();
  await expect(staff.getByText('Tre lampor i rad är släckta.')).toBeVisible();
  await expectNoAxeViolations(staff, 'staff errand page');
  await staff.getByLabel('Handläggare').selectOption({ label: 'Vera Vägar (Gator, parker och natur)' });
  await staff.getByRole('button', { name: 'Tilldela' }).click();
  await expect(staff.getByText('Ändringen är sparad.')).toBeVisible();
  await expect(staff.getByRole('heading', { name: 'Tilldelat: Gator, parker och natur, Vera Vägar' })).toBeVisible();
  await staff.getByLabel('Svar', { exact: true }).fill('Tack! Vi byter lamporna på måndag.');
  await staff.getByRole('button', { name: 'Skicka svaret' }).click();
  await expect(staff.getByRole('heading', { name: 'Svar till personen' })).toBeVisible();
  await expectNoAxeViolations(staff, 'staff errand page after a reply');

  // The reply reaches the resident, by e-mail and on the status page.
  const replyMail = await smtp.waitFor((mail) => mail.subject === `Svar på ditt ärende ${reference}`);
  expect(replyMail.text).toContain('Tack! Vi byter lamporna på måndag.');
  const link = /https?:\/\/\S+\/arende\/[\w-]+/.exec(replyMail.text ?? '')?.[0] ?? '';
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'Svar från kommunen' })).toBeVisible();
  await expect(page.getByText('Tack! Vi byter lamporna på måndag.')).toBeVisible();
  await expect(page.getByText('Besvarat').first()).toBeVisible();
  await expectNoAxeViolations(page, 'status page with a reply');
  await page.getByRole('button', { name: 'Skicka betyget' }).click();
  await expect(page.getByRole('link', { name: 'Välj hur nöjd du är.' })).toBeVisible();
  await expectNoAxeViolations(page, 'status page with a rating error');
  await page.getByLabel('5 – Mycket nöjd').check();
  await page.getByLabel('Vill du berätta mer? (valfritt)').fill('Snabbt och vänligt.');
  await page.getByRole('button', { name: 'Skicka betyget' }).click();
  await expect(page.getByText('Tack! Du gav bemötandet 5 av 5.')).toBeVisible();
  const database = new Database(server.databasePath, { readonly: true });
  try {
    expect(database.prepare('SELECT rating, rating_comment FROM submissions WHERE reference = ?').get(reference)).toEqual({ rating: 5, rating_comment: 'Snabbt och vänligt.' });
  } finally {
    database.close();
  }

  // Another unit's caseworker cannot open it.
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  await signIn(other, 'sam@varmdo.se', `/handlaggning/arende/${reference}`);
  await expect(other.getByRole('heading', { level: 1, name: 'Du har inte behörighet' })).toBeVisible();
  await expect(other.getByText('Tre lampor')).toHaveCount(0);
  await expectNoAxeViolations(other, 'staff forbidden page');
  await other.goto(`${server.url}/en/handlaggning`);
  await expect(other.getByRole('heading', { level: 1, name: 'Inbox' })).toBeVisible();
  await expect(other.getByText(reference)).toHaveCount(0);
  await expectNoAxeViolations(other, 'staff inbox in English');
  await staffContext.close();
  await otherContext.close();
});
