/**
 * Follow-up in a real browser: a manager signs in, reads the figures (each chart with its
 * table and summary, the channels and the share answered at the first contact), filters by
 * period, unit and channel, with JavaScript and without it, sees a wrong date and a wrong
 * channel the GOV.UK way, and switches to English; every state is scanned with axe.
 */
import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations } from '../helpers/axe';
import { openTestDatabase } from '../helpers/database';
import { startServer, type RunningServer } from '../helpers/server';
import { addStaffUser, STAFF_PASSWORD } from '../helpers/staff';

let server: RunningServer;
const MANAGER = { email: 'chef@varmdo.se', name: 'Cecilia Chef', role: 'manager', units: ['gator-och-parker', 'kontaktcenter'] };
const CASEWORKER = { email: 'handlaggare@varmdo.se', name: 'Hugo Handläggare', role: 'caseworker', units: ['gator-och-parker'] };

test.beforeAll(async () => {
  server = await startServer();
  addStaffUser(server.databaseUrl, MANAGER);
  addStaffUser(server.databaseUrl, CASEWORKER);
  const errands = [
    { type: 'fault_report', category: 'gatubelysning', location: { description: 'Hamnvägen 3' }, message: 'Lampan är släckt.', contact: { email: 'bo@example.se' } },
    { type: 'fault_report', category: 'nedskrapning', location: { description: 'Badplatsen' }, message: 'Skräp överallt.', contact: null },
    { type: 'question', unit: 'kontaktcenter', message: 'När töms soptunnorna?', contact: { email: 'ann@example.se' } },
  ];
  for (const errand of errands) {
    const response = await fetch(`${server.url}/api/v1/submissions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(errand) });
    expect(response.status).toBe(201);
  }
  // The first came by phone and was answered there and then, as the contact centre registers it; the others by the API.
  const db = await openTestDatabase(server.databaseUrl);
  try {
    await db.query("UPDATE submissions SET channel = 'phone', answered_at_first_contact = 1 WHERE id = (SELECT MIN(id) FROM submissions)");
  } finally {
    await db.close();
  }
});
test.afterAll(async () => {
  await server.stop();
});

async function signIn(page: Page, user = MANAGER): Promise<void> {
  await page.goto(`${server.url}/handlaggning`);
  await page.getByLabel('E-postadress').fill(user.email);
  await page.getByLabel('Lösenord').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Inkorg' })).toBeVisible();
}

test('a manager reads the figures, each chart beside its table, in Swedish and in English', async ({ page }) => {
  await signIn(page);
  await page.getByRole('navigation', { name: 'Handläggning' }).getByRole('link', { name: 'Uppföljning' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Uppföljning' })).toBeVisible();
  await expect(page.locator('.key-figure').first()).toHaveText('3 ärenden kom in');

  const chart = page.getByRole('img', { name: 'Antal ärenden per månad' });
  await expect(chart).toBeVisible();
  const month = new Intl.DateTimeFormat('sv-SE', { month: 'long', year: 'numeric', timeZone: 'Europe/Stockholm' }).format(new Date());
  await expect(chart).toHaveAccessibleDescription(new RegExp(`ärenden i ${month}`));
  const table = page.getByRole('table', { name: 'Antal ärenden per månad' });
  await expect(table.getByRole('row', { name: new RegExp(`^${month} 3$`) })).toBeVisible();
  await expect(page.getByRole('img', { name: 'Betyg på bemötandet, 1 till 5' })).toHaveAccessibleDescription('Inga betyg har getts för ärenden från perioden.');
  await expect(page.getByRole('table', { name: 'Betyg på bemötandet, 1 till 5' }).getByRole('row')).toHaveCount(6);
  await expectNoAxeViolations(page, 'follow-up');

  // With JavaScript: tick a unit and apply.
  await page.getByRole('group', { name: 'Verksamheter' }).getByLabel('Kontaktcenter').check();
  await page.getByRole('button', { name: 'Visa siffror' }).click();
  await expect(page).toHaveURL(/unit=kontaktcenter/);
  await expect(page.locator('.key-figure').first()).toHaveText('1 ärende kom in');
  await expect(page.getByRole('group', { name: 'Verksamheter' }).getByLabel('Kontaktcenter')).toBeChecked();

  await page.getByRole('link', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Follow-up' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Number of errands per month' })).toBeVisible();
  await expect(page.locator('.key-figure').first()).toHaveText('1 errand received');
  await expectNoAxeViolations(page, 'follow-up in English');
});

test('filters work without JavaScript, and a wrong date is shown in the error summary', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page);
  await page.goto(`${server.url}/handlaggning/uppfoljning`);
  await page.getByLabel('Från och med').fill('2026-03-05');
  await page.getByLabel('Till och med').fill('2026-03-01');
  await page.getByRole('button', { name: 'Visa siffror' }).click();
  const summary = page.getByRole('alert');
  await expect(summary.getByRole('link', { name: 'Slutdatumet måste vara samma dag som startdatumet eller senare' })).toBeVisible();
  await expect(page).toHaveTitle(/^Fel: Uppföljning/);
  await expectNoAxeViolations(page, 'follow-up with a wrong period');

  await page.getByLabel('Till och med').fill('2025-12-31');
  await page.getByLabel('Från och med').fill('2025-01-01');
  await page.getByRole('button', { name: 'Visa siffror' }).click();
  await expect(page.locator('.key-figure').first()).toHaveText('0 ärenden kom in');
  await expect(page.getByRole('img', { name: 'Antal ärenden per månad' })).toHaveAccessibleDescription('Inga ärenden kom in under perioden.');
  await expect(page.getByRole('table', { name: 'Antal ärenden per månad' }).getByRole('row')).toHaveCount(13);
  await expectNoAxeViolations(page, 'follow-up without JavaScript');
  await context.close();
});

test('the follow-up shows the channels and the share answered at the first contact, and filters by channel without JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page);
  await page.goto(`${server.url}/handlaggning/uppfoljning`);
  const chart = page.getByRole('img', { name: 'Antal ärenden per kanal' });
  await expect(chart).toHaveAccessibleDescription('Flest ärenden kom in via Intag-API: 2 av 3.');
  await expect(page.getByRole('table', { name: 'Antal ärenden per kanal' }).getByRole('row', { name: 'Telefon 1' })).toBeVisible();
  const channels = page.getByRole('table', { name: 'Svar och nöjdhet per kanal, flest ärenden först' });
  await expect(channels.getByRole('row')).toHaveCount(3);
  await expect(channels.getByRole('row').nth(1).getByRole('rowheader')).toHaveText('Intag-API');
  await expect(page.locator('.key-figure').last()).toHaveText('33,3\u00a0% besvarades vid första kontakten');
  await expect(page.getByText('33,3\u00a0% av ärendena besvarades vid första kontakten: 1 av 3.')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Besvarade vid första kontakten per verksamhet' }).getByRole('row', { name: 'Gator, parker och natur 2 1 50\u00a0%' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Besvarade vid första kontakten per kanal' }).getByRole('row', { name: 'Telefon 1 1 100\u00a0%' })).toBeVisible();
  await expectNoAxeViolations(page, 'follow-up with the channels');

  // Without JavaScript, keyboard only: tick the phone channel and apply.
  const group = page.getByRole('group', { name: 'Kanaler' });
  await group.getByLabel('Telefon').focus();
  await page.keyboard.press('Space');
  await page.getByRole('button', { name: 'Visa siffror' }).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/channel=phone/);
  await expect(page.locator('.key-figure').first()).toHaveText('1 ärende kom in');
  await expect(page.getByRole('status')).toContainText('Kanaler: Telefon.');
  await expect(page.getByRole('group', { name: 'Kanaler' }).getByLabel('Telefon')).toBeChecked();
  await expect(page.getByRole('link', { name: 'Siffrorna som CSV' })).toHaveAttribute('href', /channel=phone/);
  await expectNoAxeViolations(page, 'follow-up of one channel');

  // A channel that is none, as a hand-edited address would ask for it.
  await page.goto(`${server.url}/handlaggning/uppfoljning?channel=fax`);
  const summary = page.getByRole('alert');
  await summary.getByRole('link', { name: 'Välj bland kanalerna i listan' }).click();
  await expect(page).toHaveURL(/#field-channel$/);
  await expect(page.getByRole('group', { name: 'Kanaler' })).toContainText('Välj bland kanalerna i listan');
  await expectNoAxeViolations(page, 'follow-up with a wrong channel');
  await context.close();
});

test('a caseworker is told the follow-up is for managers, and led back to the inbox', async ({ page }) => {
  await signIn(page, CASEWORKER);
  const response = await page.goto(`${server.url}/handlaggning/uppfoljning`);
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('heading', { level: 1, name: 'Du har inte behörighet' })).toBeVisible();
  await expect(page.getByText('Uppföljningen är till för chefer och administratörer.')).toBeVisible();
  await expectNoAxeViolations(page, 'follow-up, forbidden');
  await page.getByRole('link', { name: 'Tillbaka till inkorgen' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Inkorg' })).toBeVisible();
});
