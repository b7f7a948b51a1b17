/**
 * The error path, the same with and without JavaScript: an error summary first in the page,
 * focused, linking to each wrong field; each field marked invalid with its message in its
 * description; the title starting "Fel: "; and everything typed still there.
 */
import { expect, test, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { expectNoAxeViolations } from '../helpers/axe';
import { e2eDatabasePath } from '../helpers/database';
import { readReference, storedCount, storedSubmission, waitForEnhancement } from './journeys';

/** Counts the form posts a page sends: with JavaScript, an invalid form must not reach the server. */
function countPosts(page: Page): { readonly count: number } {
  const posts = { count: 0 };
  page.on('request', (request) => {
    if (request.method() === 'POST') posts.count += 1;
  });
  return posts;
}

test('a question with a bad e-mail address comes back with the error summary and the text kept', async ({ page, javaScriptEnabled }) => {
  await page.goto('/fraga');
  if (javaScriptEnabled) await waitForEnhancement(page);
  const before = storedCount();
  const posts = countPosts(page);

  const question = 'Hur ansöker jag om plats i förskolan?';
  await page.getByLabel('Din fråga').fill(question);
  await page.getByLabel('Namn (valfritt)').fill('Ali Svensson');
  await page.getByLabel('E-post', { exact: true }).fill('ali@');
  await page.getByRole('button', { name: 'Skicka frågan' }).click();

  const summary = page.locator('.error-summary');
  await expect(summary.getByRole('heading', { name: 'Något behöver rättas' })).toBeVisible();
  await expect(summary).toBeFocused();
  await expect(page).toHaveTitle(/^Fel: Ställ en fråga/);
  await expect(summary.getByRole('link')).toHaveText(['Skriv e-postadressen i rätt form, till exempel namn@exempel.se.']);

  const email = page.getByLabel('E-post', { exact: true });
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(email).toHaveAccessibleDescription(/Fel: Skriv e-postadressen i rätt form/);
  await expect(email).toHaveValue('ali@');
  await expect(page.getByLabel('Din fråga')).toHaveValue(question);
  await expect(page.getByLabel('Namn (valfritt)')).toHaveValue('Ali Svensson');
  await expect(page.getByLabel('Din fråga')).not.toHaveAttribute('aria-invalid', 'true');
  expect(storedCount()).toBe(before);
  expect(posts.count).toBe(javaScriptEnabled ? 0 : 1);
  await expectNoAxeViolations(page, 'question form with an error');

  await summary.getByRole('link', { name: /Skriv e-postadressen/ }).click();
  await expect(email).toBeFocused();

  await email.fill('ali@example.se');
  await page.getByRole('button', { name: 'Skicka frågan' }).click();
  const reference = await readReference(page);
  expect(storedCount()).toBe(before + 1);
  const payload = JSON.parse(storedSubmission(reference)?.payload ?? '{}');
  expect(payload).toMatchObject({ type: 'question', message: question, contact: { name: 'Ali Svensson', email: 'ali@example.se' } });
});

test('an empty fault report lists every missing field in page order, each linked to its field', async ({ page, javaScriptEnabled }) => {
  await page.goto('/felanmalan');
  if (javaScriptEnabled) await waitForEnhancement(page);
  const posts = countPosts(page);
  await page.getByRole('button', { name: 'Skicka felanmälan' }).click();

  const summary = page.locator('.error-summary');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveText([
    'Välj vad felet gäller.',
    'Skriv var felet finns.',
    'Skriv ditt meddelande.',
    'Skriv din e-postadress eller ditt telefonnummer, eller välj att vara anonym.',
  ]);
  for (const [label, message] of [
    ['Vad gäller felet?', 'Välj vad felet gäller.'],
    ['Var är felet?', 'Skriv var felet finns.'],
    ['Vad är fel?', 'Skriv ditt meddelande.'],
  ] as const) {
    await expect(page.getByLabel(label)).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByLabel(label)).toHaveAccessibleDescription(new RegExp(message.replace('?', '\\?')));
  }
  expect(posts.count).toBe(javaScriptEnabled ? 0 : 1);
  await expectNoAxeViolations(page, 'empty fault report');

  await summary.getByRole('link', { name: 'Skriv var felet finns.' }).click();
  await expect(page.getByLabel('Var är felet?')).toBeFocused();
});

test('choosing to stay anonymous drops the contact details and says no reply will come', async ({ page, javaScriptEnabled }) => {
  await page.goto('/synpunkt');
  if (javaScriptEnabled) await waitForEnhancement(page);
  await expect(page.getByText('Om du är anonym kan vi inte svara dig eller ställa följdfrågor.')).toBeVisible();
  await page.getByLabel('Beröm').check();
  await page.getByLabel('Din synpunkt').fill('Personalen på återvinningscentralen var mycket hjälpsam.');
  await page.getByLabel('E-post', { exact: true }).fill('glomd@example.se');
  await page.getByLabel('Nej, jag vill vara anonym').check();
  if (javaScriptEnabled) await expect(page.getByLabel('E-post', { exact: true })).toBeHidden();
  await page.getByRole('button', { name: 'Skicka synpunkten' }).click();

  const reference = await readReference(page);
  await expect(page.getByText(/Du valde att vara anonym/)).toBeVisible();
  const row = storedSubmission(reference);
  expect(row?.reply_by).toBeNull();
  expect(JSON.parse(row?.payload ?? '{}')).toMatchObject({ type: 'feedback', feedbackKind: 'praise', contact: null });
  expect(row?.payload).not.toContain('glomd@example.se');
});

test('when storage cannot take the errand, nothing typed is lost', async ({ page, javaScriptEnabled }) => {
  await page.goto('/fraga');
  if (javaScriptEnabled) await waitForEnhancement(page);
  const question = 'Kan jag boka en tid hos en bygglovshandläggare?';
  await page.getByLabel('Din fråga').fill(question);
  await page.getByLabel('E-post', { exact: true }).fill('lugn@example.se');
  const before = storedCount();

  // Another process holds the database's write lock, as during a long backup.
  const writer = new Database(e2eDatabasePath, { fileMustExist: true });
  try {
    writer.exec('BEGIN EXCLUSIVE');
    const response = page.waitForResponse((candidate) => candidate.request().method() === 'POST');
    await page.getByRole('button', { name: 'Skicka frågan' }).click();
    expect((await response).status()).toBe(503);
    if (javaScriptEnabled) {
      // With JavaScript the errand waits in the outbox on this device and is sent later.
      await expect(page.getByRole('heading', { name: 'Väntar på att skickas' })).toBeVisible();
      await expectNoAxeViolations(page, 'question waiting in the outbox while storage is unavailable');
    } else {
      // Without, the form comes back with everything typed and a clear message.
      const summary = page.locator('.error-summary');
      await expect(summary).toBeFocused();
      await expect(summary).toContainText('Vi kan inte ta emot ärenden just nu. Det du har skrivit finns kvar.');
      await expect(page.getByLabel('Din fråga')).toHaveValue(question);
      await expect(page.getByLabel('E-post', { exact: true })).toHaveValue('lugn@example.se');
      await expectNoAxeViolations(page, 'question form while storage is unavailable');
    }
  } finally {
    writer.exec('ROLLBACK');
    writer.close();
  }
  expect(storedCount()).toBe(before);

  let reference: string;
  if (javaScriptEnabled) {
    await page.evaluate(() => dispatchEvent(new Event('online')));
    const delivered = page.locator('.outbox .reference');
    await expect(delivered).toHaveText(/^VDO-\d{4}-\d{6}$/);
    reference = (await delivered.textContent()) ?? '';
  } else {
    await page.getByRole('button', { name: 'Skicka frågan' }).click();
    reference = await readReference(page);
  }
  expect(storedCount()).toBe(before + 1);
  expect(JSON.parse(storedSubmission(reference)?.payload ?? '{}')).toMatchObject({ message: question });
});
