/**
 * A published e-proposal in the browser: the list, the proposal, supporting it (a wrong address
 * first) and the confirmation page from the e-mail, each state scanned with axe.
 */
import Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from '../helpers/axe';
import { startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
test.beforeAll(async () => {
  server = await startServer({ env: { FORM_MIN_FILL_SECONDS: '0' } });
});
test.afterAll(async () => {
  await server.stop();
});

test('a resident finds a published proposal, supports it and confirms from the e-mail', async ({ page }) => {
  const created = await fetch(`${server.url}/api/v1/submissions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ type: 'proposal', title: 'Bänkar längs Farstaviken', message: 'Ställ ut fler bänkar längs promenadstråket.', contact: { name: 'Petra Förslagsställare', email: 'petra@example.se' } }),
  });
  const { reference } = (await created.json()) as { reference: string };
  // Published as staff would (the staff action itself is tested over HTTP).
  const database = new Database(server.databasePath);
  database.prepare("UPDATE submissions SET published_at = ?, closes_on = '2099-12-31' WHERE reference = ?").run(new Date().toISOString(), reference);
  database.close();

  await page.goto(`${server.url}/e-forslag/publicerade`);
  await expectNoAxeViolations(page, 'published proposals');
  await page.getByRole('link', { name: 'Bänkar längs Farstaviken' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Bänkar längs Farstaviken' })).toBeVisible();
  await expect(page.getByText('0 av 50 stöd')).toBeVisible();
  await expectNoAxeViolations(page, 'a published proposal');
  await page.getByLabel('E-post').fill('fel-adress');
  await page.getByRole('button', { name: 'Skicka länken' }).click();
  await expect(page.getByRole('link', { name: 'Skriv e-postadressen i rätt form, till exempel namn@exempel.se.' })).toBeVisible();
  await expectNoAxeViolations(page, 'a published proposal with an error');
  await page.getByLabel('E-post').fill('stodjare@example.se');
  await page.getByRole('button', { name: 'Skicka länken' }).click();
  await expect(page.getByText('Vi har skickat en länk till din e-post.')).toBeVisible();

  const mailDirectory = join(dirname(server.databasePath), 'mail');
  await expect.poll(() => readdirSync(mailDirectory).length, { timeout: 10_000 }).toBeGreaterThan(1);
  const messages = readdirSync(mailDirectory).map((name) => readFileSync(join(mailDirectory, name), 'utf8'));
  const confirmation = messages.find((message) => message.includes('stodjare@example.se'))!.replace(/=\r?\n/g, '');
  const link = /https?:\/\/\S+?\/e-forslag\/bekrafta\/[\w-]+/.exec(confirmation)![0];
  await page.goto(link);
  await expectNoAxeViolations(page, 'support confirmation page');
  await page.getByRole('button', { name: 'Jag stöder förslaget' }).click();
  await expect(page.getByText('Tack! Ditt stöd är räknat.')).toBeVisible();
  await expect(page.getByText('1 av 50 stöd')).toBeVisible();
});
