/**
 * The contact centre registers errands in a real browser, with JavaScript and without: a phone
 * call taken in by keyboard alone, a form sent with something missing (error summary, values
 * kept), an errand answered at once (closed, its answer in the history), a letter with its PDF
 * attached and downloaded from the errand page, and the same in English. Every state is
 * scanned with axe.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations } from '../helpers/axe';
import { startServer, type RunningServer } from '../helpers/server';
import { addStaffUser, STAFF_PASSWORD } from '../helpers/staff';
import { tabTo } from './journeys';

// Each test scans several page states with axe, which takes a while on two shared cores.
test.describe.configure({ timeout: 90_000 });

let server: RunningServer;
const CONTACT_CENTRE = { email: 'kim@varmdo.se', name: 'Kim Kontaktcenter', role: 'caseworker', units: ['kontaktcenter'] };
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

test.beforeAll(async () => {
  server = await startServer();
  addStaffUser(server.databaseUrl, CONTACT_CENTRE);
});
test.afterAll(async () => {
  await server.stop();
});

async function signIn(page: Page, prefix = ''): Promise<void> {
  await page.goto(`${server.url}${prefix}/handlaggning/logga-in`);
  const english = prefix === '/en';
  await page.getByLabel(english ? 'Email address' : 'E-postadress').fill(CONTACT_CENTRE.email);
  await page.getByLabel(english ? 'Password' : 'Lösenord').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: english ? 'Sign in' : 'Logga in' }).click();
}

const spokenReference = async (page: Page) => {
  const text = await page.locator('.spoken-receipt').innerText();
  const spoken = /(?:nummer|number) ([A-Z]+ \d{4} \d{6})\./.exec(text)?.[1];
  expect(spoken, text).toBeTruthy();
  return spoken!.replaceAll(' ', '-');
};

test('a phone call registered by keyboard alone: the receipt to read aloud and the status link', async ({ page }) => {
  await signIn(page);
  await tabTo(page, page.getByRole('link', { name: 'Registrera ärende' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Registrera ett ärende' })).toBeVisible();
  await expectNoAxeViolations(page, 'registering an errand');
  // A phone call in Swedish is chosen already; what the person said, and how to reach them.
  await expect(page.getByRole('radio', { name: 'Telefon' })).toBeChecked();
  await tabTo(page, page.getByLabel('Vad personen säger'));
  await page.keyboard.type('Hur ansöker jag om färdtjänst?');
  await tabTo(page, page.getByLabel('Namn'));
  await page.keyboard.type('Greta Ring');
  await tabTo(page, page.getByLabel('Telefon', { exact: true }).and(page.locator('input[type="tel"]')));
  await page.keyboard.type('070-765 43 21');
  await tabTo(page, page.getByRole('button', { name: 'Registrera ärendet' }));
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { level: 1, name: /^Ärendet VDO-\d{4}-\d{6} är registrerat$/ })).toBeVisible();
  const reference = await spokenReference(page);
  await expect(page.locator('.spoken-receipt')).toContainText(/Kontaktcenter svarar senast \p{L}+dag \d+ \p{L}+\./u);
  await expectNoAxeViolations(page, 'the receipt of a registered errand');
  const statusLink = page.getByRole('link', { name: /\/arende\// });
  await expect(statusLink).toBeVisible();
  // A reload shows the receipt again and registers nothing more.
  await page.reload();
  await expect(page.locator('.spoken-receipt')).toContainText(reference.replaceAll('-', ' '));

  await page.getByRole('link', { name: `Öppna ärendet ${reference}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Ärende ${reference}` })).toBeVisible();
  await expect(page.getByRole('definition').filter({ hasText: /^Telefon$/ })).toBeVisible();
  await expect(page.getByRole('definition').filter({ hasText: CONTACT_CENTRE.name })).toBeVisible();
  await expectNoAxeViolations(page, 'a registered errand on the staff page');
});

test('a form sent with something missing comes back with the error summary and what was typed', async ({ page }) => {
  await signIn(page);
  await page.goto(`${server.url}/handlaggning/nytt?typ=synpunkt`);
  await page.getByRole('radio', { name: 'Besök' }).check();
  await page.getByRole('textbox', { name: 'E-post', exact: true }).fill('inte-en-adress');
  await page.getByRole('button', { name: 'Registrera ärendet' }).click();
  const summary = page.locator('.error-summary');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveCount(3);
  await expect(page.getByRole('radio', { name: 'Besök' })).toBeChecked();
  await expect(page.getByRole('textbox', { name: 'E-post', exact: true })).toHaveValue('inte-en-adress');
  await expect(page).toHaveTitle(/^Fel: /);
  await expectNoAxeViolations(page, 'registering an errand, with errors');
  // Each link of the summary leads to its field.
  for (const href of await summary.getByRole('link').evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''))) {
    await expect(page.locator(href)).toHaveCount(1);
  }
  await expect(summary.getByRole('link', { name: 'Skriv ditt meddelande.' })).toHaveAttribute('href', '#field-message');
});

test('an errand answered at once is registered closed, its answer in the history', async ({ page }) => {
  await signIn(page);
  await page.goto(`${server.url}/handlaggning/nytt`);
  await page.getByLabel('Vad personen säger').fill('När töms soptunnorna på Ingarö?');
  await page.getByRole('radio', { name: 'Nej, personen vill vara anonym' }).check();
  await page.getByRole('radio', { name: 'Ja, jag svarade direkt' }).check();
  await page.getByLabel('Svaret du gav').fill('Tunnorna töms varannan tisdag.');
  await page.getByRole('button', { name: 'Registrera ärendet' }).click();
  await expect(page.locator('.spoken-receipt')).toContainText('Du har fått ditt svar, och ärendet är avslutat.');
  await expectNoAxeViolations(page, 'the receipt of an errand answered at once');
  await page.getByRole('link', { name: /^Öppna ärendet / }).click();
  await expect(page.getByRole('definition').filter({ hasText: /^Avslutat$/ })).toBeVisible();
  await expect(page.locator('.history')).toContainText('Tunnorna töms varannan tisdag.');
  await expectNoAxeViolations(page, 'an errand answered at once on the staff page');
});

test('a letter with its scan attached, downloaded from the errand page', async ({ page }) => {
  await signIn(page);
  await page.goto(`${server.url}/handlaggning/nytt`);
  await page.getByRole('radio', { name: 'Brev' }).check();
  await page.getByLabel('Vad personen säger').fill('Jag vill veta när biblioteket i Gustavsberg har öppet i jul.');
  await page.getByLabel('Namn').fill('Brita Brev');
  await page.getByRole('textbox', { name: 'E-post', exact: true }).fill('brita.brev@example.se');
  await page.getByLabel('Inskannat brev eller blankett').setInputFiles({ name: 'brev från Brita.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.getByRole('button', { name: 'Registrera ärendet' }).click();
  const reference = await spokenReference(page);
  await expect(page.getByText('En bekräftelse med länken skickas till brita.brev@example.se.')).toBeVisible();
  await page.getByRole('link', { name: `Öppna ärendet ${reference}` }).click();
  await expect(page.getByRole('definition').filter({ hasText: /^Brev$/ })).toBeVisible();
  await expectNoAxeViolations(page, 'a registered letter with its scan on the staff page');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'brev från Brita.pdf' }).click()]);
  expect(download.suggestedFilename()).toBe('brev från Brita.pdf');
  expect(readFileSync(await download.path()).equals(PDF)).toBe(true);
});

test('registering in English', async ({ page }) => {
  await signIn(page, '/en');
  await page.getByRole('link', { name: 'Register an errand' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Register an errand' })).toBeVisible();
  await page.getByRole('link', { name: 'Feedback' }).click();
  await page.getByRole('radio', { name: 'Social media' }).check();
  await page.getByRole('radio', { name: 'Praise' }).check();
  await page.getByLabel("The person's language").selectOption({ label: 'English' });
  await page.getByLabel('What the person says').fill('The new playground in Hemmesta is wonderful.');
  await page.getByRole('radio', { name: 'No, the person wants to stay anonymous' }).check();
  await expectNoAxeViolations(page, 'registering feedback in English');
  await page.getByRole('button', { name: 'Register the errand' }).click();
  await expect(page.locator('.spoken-receipt')).toContainText(/^Your errand has number [A-Z]+ \d{4} \d{6}\./);
  await expect(page.getByRole('link', { name: /\/en\/arende\// })).toBeVisible();
  await expectNoAxeViolations(page, 'the receipt in English');
});
