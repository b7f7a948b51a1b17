/**
 * An English-speaking caseworker in a browser that has never seen the portal (issue 12, item 7):
 * signs in at /en/handlaggning/logga-in, finds an errand in the English inbox, replies to it and
 * signs out, after which every staff page leads back to sign-in. With and without JavaScript,
 * with axe on every state.
 */
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from '../helpers/axe';
import { startServer, type RunningServer } from '../helpers/server';
import { addStaffUser, STAFF_PASSWORD } from '../helpers/staff';

const CASEWORKER = { email: 'emma@varmdo.se', name: 'Emma English', role: 'caseworker', units: ['gator-och-parker'] };

let server: RunningServer;
test.beforeAll(async () => {
  server = await startServer();
  addStaffUser(server.databaseUrl, CASEWORKER);
});
test.afterAll(async () => {
  await server.stop();
});

/** A fault report sent earlier through the intake API, as a resident's app would; returns its reference. */
async function sentFaultReport(message: string): Promise<string> {
  const response = await fetch(`${server.url}/api/v1/submissions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({
      type: 'fault_report',
      category: 'gatubelysning',
      location: { description: 'Hamnvägen 3, Gustavsberg' },
      message,
      contact: { name: 'Alex Resident', email: 'alex.resident@example.se' },
      language: 'en',
    }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { reference: string }).reference;
}

test('a caseworker signs in in English from a fresh browser, replies to an errand and signs out', async ({ browser }) => {
  // Seven axe scans and two sign-ins: more than the default 30 s on a busy two-core machine.
  test.setTimeout(90_000);
  const reference = await sentFaultReport('The street light outside number 3 has been dark for a week.');
  const context = await browser.newContext({ locale: 'en-GB' });
  expect(await context.cookies()).toEqual([]);
  const page = await context.newPage();

  await page.goto(`${server.url}/en/handlaggning/logga-in`);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expectNoAxeViolations(page, 'English staff sign-in');
  await page.getByLabel('Email address').fill(CASEWORKER.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('link', { name: 'The email address or the password is not right.' })).toBeVisible();
  await expect(page.getByLabel('Email address')).toHaveValue(CASEWORKER.email);
  await expectNoAxeViolations(page, 'English staff sign-in with an error');
  await page.getByLabel('Password').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page).toHaveURL(`${server.url}/en/handlaggning`);
  await expect(page.getByRole('heading', { level: 1, name: 'Inbox' })).toBeVisible();
  await expect(page.getByText(`Signed in as ${CASEWORKER.name}`)).toBeVisible();
  await expectNoAxeViolations(page, 'English staff inbox');
  await page.getByRole('row', { name: new RegExp(reference) }).getByRole('link', { name: reference }).click();

  await expect(page.getByRole('heading', { level: 1, name: `Errand ${reference}` })).toBeVisible();
  await expect(page.getByText('The street light outside number 3 has been dark for a week.')).toBeVisible();
  await expectNoAxeViolations(page, 'English staff errand page');
  const reply = 'Thank you. We will replace the lamp on Monday.';
  await page.getByLabel('Reply', { exact: true }).fill(reply);
  await page.getByRole('button', { name: 'Send the reply' }).click();
  await expect(page).toHaveURL(`${server.url}/en/handlaggning/arende/${reference}?klart=reply`);
  await expect(page.getByText('The change is saved.')).toBeVisible();
  await expect(page.getByRole('list').getByText(reply)).toBeVisible();
  await expectNoAxeViolations(page, 'English staff errand page after a reply');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(`${server.url}/en/handlaggning/logga-in`);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expectNoAxeViolations(page, 'English staff sign-in after signing out');
  expect((await context.cookies()).map((cookie) => cookie.name)).not.toContain('handlaggning');
  for (const path of ['/en/handlaggning', `/en/handlaggning/arende/${reference}`, '/en/handlaggning/uppfoljning']) {
    await page.goto(`${server.url}${path}`);
    await expect(page).toHaveURL(`${server.url}/en/handlaggning/logga-in?till=${encodeURIComponent(path)}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  }
  await context.close();
});
