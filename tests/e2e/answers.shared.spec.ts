/**
 * Answers before asking, with and without JavaScript: a question whose words match a common
 * answer is offered that answer (as the person types, or through the search), the answer page
 * passes axe, and "No, I want to ask my question" leads back to the form with the text kept.
 */
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from '../helpers/axe';
import { waitForEnhancement } from './journeys';

const QUESTION = 'Min soptunna har inte tömts på tre veckor, varför?';

test('a question about the bins is offered the answer about rubbish collection, and can still be asked', async ({ page, javaScriptEnabled }) => {
  await page.goto('/fraga');
  if (javaScriptEnabled) {
    await waitForEnhancement(page);
    await page.getByLabel('Din fråga').fill(QUESTION);
    const suggestion = page.getByRole('link', { name: 'När hämtas soporna hos mig?' });
    await expect(suggestion).toBeVisible();
    await expect(page.getByText('Kanske finns svaret redan här:')).toBeVisible();
    await expectNoAxeViolations(page, 'question form with a suggested answer');
    await suggestion.click();
  } else {
    await page.getByLabel('Kanske finns svaret redan. Sök bland vanliga frågor').fill(QUESTION);
    await page.getByRole('button', { name: 'Sök', exact: true }).click();
    await expect(page.getByRole('heading', { level: 2, name: `Svar som kan passa ”${QUESTION}”` })).toBeVisible();
    await expectNoAxeViolations(page, 'answer search results');
    await page.getByRole('link', { name: 'När hämtas soporna hos mig?' }).click();
  }
  await expect(page.getByRole('heading', { level: 1, name: 'När hämtas soporna hos mig?' })).toBeVisible();
  await expect(page.getByText('Soporna hämtas varannan vecka')).toBeVisible();
  await expectNoAxeViolations(page, 'answer page');
  await page.getByRole('link', { name: 'Nej, jag vill ställa min fråga' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Ställ en fråga' })).toBeVisible();
  await expect(page.getByLabel('Din fråga')).toHaveValue(QUESTION);
});

test('an answer written only in English is shown, marked as English, on the Arabic pages', async ({ page }) => {
  await page.goto('/ar/svar/sophamtning');
  await expect(page.locator('article')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1, name: 'When is my rubbish collected?' })).toBeVisible();
  await expectNoAxeViolations(page, 'Arabic page with an English answer');
});
