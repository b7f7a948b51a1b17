/** A question sent with the keyboard alone, from the skip link to the receipt. */
import { expect, test } from '@playwright/test';
import { readReference, storedSubmission, tabTo, waitForEnhancement } from './journeys';

test('a keyboard user can send a question without a mouse', async ({ page }) => {
  await page.goto('/fraga');
  await waitForEnhancement(page);

  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Till huvudinnehållet' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);

  await tabTo(page, page.getByLabel('Din fråga'));
  await page.keyboard.type('Var kan jag lämna grovsopor?');
  await tabTo(page, page.getByLabel('Ja, jag vill få svar'));
  await expect(page.getByLabel('Ja, jag vill få svar')).toBeChecked();
  await tabTo(page, page.getByLabel('E-post', { exact: true }));
  await page.keyboard.type('tangent@example.se');
  await tabTo(page, page.getByRole('button', { name: 'Skicka frågan' }));
  await page.keyboard.press('Enter');

  const reference = await readReference(page);
  expect(JSON.parse(storedSubmission(reference)?.payload ?? '{}')).toMatchObject({
    message: 'Var kan jag lämna grovsopor?',
    contact: { email: 'tangent@example.se' },
  });
});
