/**
 * Forgetting an errand in the browser, with and without JavaScript: an admin opens the errand,
 * asks to remove its personal data, confirms on a page of its own, and sees the errand without
 * it; the resident's status page and the privacy page say what happened and how long data is
 * kept. Each page is scanned with axe.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from '../helpers/axe';
import { repositoryRoot, startServer, type RunningServer } from '../helpers/server';
import { addStaffUser, STAFF_PASSWORD } from '../helpers/staff';

let server: RunningServer;
let configDirectory: string;
test.beforeAll(async () => {
  configDirectory = mkdtempSync(join(tmpdir(), 'en-vag-in-retention-e2e-'));
  const config = JSON.parse(readFileSync(join(repositoryRoot, 'config/varmdo.json'), 'utf8')) as Record<string, unknown>;
  config['retention'] = {
    decision: { title: 'Dokumenthanteringsplan för kontaktcenter (testbeslut)', reference: 'KS 2026/0042', decidedOn: '2026-01-15', url: 'https://www.varmdo.se/' },
    monthsAfterClosed: { question: 24, feedback: 24, fault_report: 12 },
  };
  writeFileSync(join(configDirectory, 'config.json'), JSON.stringify(config));
  server = await startServer({ env: { FORM_MIN_FILL_SECONDS: '0', MUNICIPALITY_CONFIG: join(configDirectory, 'config.json') } });
  addStaffUser(server.databaseUrl, { email: 'ada@varmdo.se', name: 'Ada Admin', role: 'admin' });
});
test.afterAll(async () => {
  await server.stop();
  rmSync(configDirectory, { recursive: true, force: true });
});

test('an admin removes an errand’s personal data at the person’s request, after confirming', async ({ page }) => {
  const created = await fetch(`${server.url}/api/v1/submissions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ type: 'question', message: 'Jag heter Greta Glömsk och vill bli bortglömd.', contact: { name: 'Greta Glömsk', email: 'greta@example.se' } }),
  });
  const { reference, statusUrl } = (await created.json()) as { reference: string; statusUrl: string };

  await page.goto(`${server.url}/handlaggning/arende/${reference}`);
  await page.getByLabel('E-postadress').fill('ada@varmdo.se');
  await page.getByLabel('Lösenord').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Ärende ${reference}` })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Ta bort personuppgifter' })).toBeVisible();
  await page.getByRole('button', { name: 'Ta bort personuppgifterna …' }).click();

  await expect(page.getByRole('heading', { level: 1, name: `Ta bort personuppgifterna i ärende ${reference}?` })).toBeVisible();
  await expectNoAxeViolations(page, 'confirming the removal of personal data');
  // Cancelling changes nothing.
  await page.getByRole('link', { name: 'Avbryt och gå tillbaka till ärendet' }).first().click();
  await expect(page.getByText('Jag heter Greta Glömsk och vill bli bortglömd.')).toBeVisible();
  await page.getByRole('button', { name: 'Ta bort personuppgifterna …' }).click();
  await page.getByRole('button', { name: 'Ta bort personuppgifterna', exact: true }).click();

  await expect(page.getByText('Ändringen är sparad.')).toBeVisible();
  await expect(page.getByText(/^Personuppgifterna togs bort \d/)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Personuppgifterna togs bort på personens begäran' })).toBeVisible();
  await expect(page.getByText('Greta')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Skicka svaret' })).toHaveCount(0);
  await expectNoAxeViolations(page, 'an errand whose personal data is removed');

  await page.goto(`${server.url}/en/handlaggning/arende/${reference}`);
  await expect(page.getByRole('heading', { name: "Personal data removed at the person's request" })).toBeVisible();
  await expectNoAxeViolations(page, 'an errand whose personal data is removed, in English');

  await page.goto(statusUrl);
  await expect(page.getByText(/^Vi tog bort personuppgifterna i ärendet /)).toBeVisible();
  await expect(page.getByText('Greta')).toHaveCount(0);
  await expectNoAxeViolations(page, 'the status page of an errand whose personal data is removed');
});

test('the privacy page says how long personal data is kept, from the decision', async ({ page }) => {
  await page.goto(`${server.url}/personuppgifter`);
  await expect(page.getByRole('link', { name: 'Dokumenthanteringsplan för kontaktcenter (testbeslut)' })).toBeVisible();
  const table = page.getByRole('table', { name: 'Hur länge personuppgifterna sparas' });
  await expect(table.getByRole('row', { name: 'Felanmälan 12 månader' })).toBeVisible();
  await expect(table.getByRole('row', { name: 'E-förslag Tas inte bort' })).toBeVisible();
  await expectNoAxeViolations(page, 'privacy page with a disposal decision');
  await page.goto(`${server.url}/ar/personuppgifter`);
  await expectNoAxeViolations(page, 'privacy page with a disposal decision, in Arabic');
});
