/**
 * The admin's page of Open311 keys, without JavaScript: issue a key (shown once), see it work
 * and stop working once revoked, in Swedish and English, with axe on every state; a caseworker
 * gets 403.
 */
import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations } from '../helpers/axe';
import { startServer, type RunningServer } from '../helpers/server';
import { addStaffUser, STAFF_PASSWORD } from '../helpers/staff';

let server: RunningServer;
test.beforeAll(async () => {
  server = await startServer();
  addStaffUser(server.databaseUrl, { email: 'ada@varmdo.se', name: 'Ada Admin', role: 'admin' });
  addStaffUser(server.databaseUrl, { email: 'vera@varmdo.se', name: 'Vera Vägar', role: 'caseworker', units: ['gator-och-parker'] });
});
test.afterAll(async () => {
  await server.stop();
});

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(`${server.url}/handlaggning/logga-in`);
  await page.getByLabel('E-postadress').fill(email);
  await page.getByLabel('Lösenord').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Inkorg' })).toBeVisible();
}

/** Posts a fault report with the key, as an Open311 client would; returns the status and the new reference, if any. */
async function postWith(page: Page, key: string): Promise<{ status: number; reference?: string }> {
  const response = await page.request.post(`${server.url}/open311/v2/requests.json`, {
    form: { api_key: key, service_code: 'gatubelysning', address_string: 'Torget', description: 'Lampan är släckt' },
  });
  const answer = (await response.json()) as { service_request_id?: string }[];
  return { status: response.status(), ...(answer[0]?.service_request_id ? { reference: answer[0].service_request_id } : {}) };
}

test('an admin issues a key, which works until it is revoked', async ({ page }) => {
  // Seven axe scans and a sign-in: more than the default 30 s on a busy two-core machine.
  test.setTimeout(90_000);
  await signIn(page, 'ada@varmdo.se');
  await page.getByRole('link', { name: 'Open311-nycklar' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Nycklar för Open311' })).toBeVisible();
  await expect(page.getByText('Inga nycklar är utdelade ännu.')).toBeVisible();
  await expectNoAxeViolations(page, 'Open311 keys, none yet');

  await page.getByRole('button', { name: 'Skapa nyckel' }).click();
  await expect(page.getByRole('link', { name: 'Skriv appens eller systemets namn, högst 200 tecken.' })).toBeVisible();
  await expect(page).toHaveTitle(/^Fel: /);
  await expectNoAxeViolations(page, 'Open311 keys, name missing');

  await page.getByLabel('Appens eller systemets namn').fill('Felanmälningsappen');
  await page.getByRole('button', { name: 'Skapa nyckel' }).click();
  await expect(page.getByRole('heading', { name: 'Ny nyckel för Felanmälningsappen' })).toBeVisible();
  const key = (await page.locator('code.secret').textContent()) ?? '';
  expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
  await expectNoAxeViolations(page, 'Open311 keys, a key issued');
  const posted = await postWith(page, key);
  expect(posted.status).toBe(201);

  // Staff see where the errand came from.
  await page.goto(`${server.url}/handlaggning/arende/${posted.reference}`);
  await expect(page.getByRole('definition').filter({ hasText: 'Open311-klienten Felanmälningsappen' })).toBeVisible();
  await expectNoAxeViolations(page, 'an errand that came through Open311');

  // The key is shown once: the page itself no longer has it.
  await page.goto(`${server.url}/handlaggning/open311`);
  await expect(page.locator('code.secret')).toHaveCount(0);
  await expect(page.getByRole('row', { name: /Felanmälningsappen/ })).toBeVisible();

  await page.getByRole('button', { name: 'Dra tillbaka nyckeln för Felanmälningsappen' }).click();
  await expect(page.getByText('Nyckeln för Felanmälningsappen är indragen.')).toBeVisible();
  await expect(page.getByRole('row', { name: /Felanmälningsappen/ })).toContainText('Indragen');
  await expectNoAxeViolations(page, 'Open311 keys, a key revoked');
  expect((await postWith(page, key)).status).toBe(403);

  await page.goto(`${server.url}/en/handlaggning/open311`);
  await expect(page.getByRole('heading', { level: 1, name: 'Keys for Open311' })).toBeVisible();
  await expect(page.getByRole('row', { name: /Felanmälningsappen/ })).toContainText('Revoked');
  await expectNoAxeViolations(page, 'Open311 keys in English');
});

test('a caseworker may not see the page', async ({ page }) => {
  await signIn(page, 'vera@varmdo.se');
  await expect(page.getByRole('link', { name: 'Open311-nycklar' })).toHaveCount(0);
  const response = await page.goto(`${server.url}/handlaggning/open311`);
  expect(response?.status()).toBe(403);
  await expect(page.getByText('Bara administratörer kan dela ut och dra tillbaka nycklar för Open311.')).toBeVisible();
  await expectNoAxeViolations(page, 'Open311 keys, forbidden');
});
