/**
 * A whole errand with a validation error in Arabic (right to left) and in lättläst, with and
 * without JavaScript: the messages come in the page's language, and the errand is stored with it.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from '../helpers/axe';
import { repositoryRoot } from '../helpers/server';
import { readReference, storedSubmission, waitForEnhancement } from './journeys';
import { variant } from './locales';

test('Arabic: a fault report with a mistake, corrected and sent', async ({ page, javaScriptEnabled }) => {
  const arabic = variant('ar');
  await page.goto(arabic.path('/felanmalan'));
  if (javaScriptEnabled) await waitForEnhancement(page);
  await page.getByLabel(arabic.text('form.category.label')).selectOption({ index: 1 });
  await page.getByLabel(arabic.text('form.message.fault_report.label')).fill('المصباح لا يعمل منذ أسبوع.');
  await page.getByLabel(arabic.text('form.reply.no')).check();
  await page.getByRole('button', { name: arabic.text('form.submit.fault_report') }).click();

  const summary = page.locator('.error-summary');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('heading')).toHaveText(arabic.text('errorSummary.title'));
  await expect(summary.getByRole('link')).toHaveText([arabic.text('error.place.required')]);
  await expect(page).toHaveTitle(new RegExp(`^${arabic.text('layout.errorTitlePrefix')}`));
  const place = page.getByLabel(arabic.text('form.place.label'));
  await expect(place).toHaveAccessibleDescription(new RegExp(arabic.text('error.place.required')));
  await expectNoAxeViolations(page, 'Arabic fault report with an error');
  if (javaScriptEnabled) {
    const screenshots = join(repositoryRoot, 'test-results/screenshots');
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, 'ar-felanmalan-error.png'), fullPage: true });
  }

  // A place of its own with and without JavaScript, so the second run is not offered the first as already reported.
  await place.fill(`شارع سكوغسبو ${javaScriptEnabled ? '٩' : '١١'}، گوستافسبرگ`);
  await page.getByRole('button', { name: arabic.text('form.submit.fault_report') }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(arabic.text('receipt.title.fault_report'));
  const reference = await readReference(page);
  expect(storedSubmission(reference)?.language).toBe('ar');
});

test('lättläst: a question with a mistake, corrected and sent', async ({ page, javaScriptEnabled }) => {
  const easy = variant('lattlast');
  await page.goto(easy.path('/fraga'));
  if (javaScriptEnabled) await waitForEnhancement(page);
  await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
  await page.getByLabel(easy.text('form.message.question.label')).fill('Hur gör jag för att få hjälp hemma?');
  await page.getByLabel(easy.text('form.contact.email.label'), { exact: true }).fill('inte-en-adress');
  await page.getByRole('button', { name: easy.text('form.submit.question') }).click();

  const summary = page.locator('.error-summary');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('heading')).toHaveText(easy.text('errorSummary.title'));
  await expect(summary.getByRole('link')).toHaveText([easy.text('error.email.invalid')]);
  await expectNoAxeViolations(page, 'lättläst question with an error');

  await page.getByLabel(easy.text('form.contact.email.label'), { exact: true }).fill('hjalp@example.se');
  await page.getByRole('button', { name: easy.text('form.submit.question') }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(easy.text('receipt.title.question'));
  const reference = await readReference(page);
  expect(storedSubmission(reference)?.language).toBe('lattlast');
});
