/** A form posted twice (a double click, a resent post) stores one errand. */
import { expect, test } from '@playwright/test';
import { storedCount } from './journeys';

test('the same form posted twice leads to the same receipt and one stored errand', async ({ page }) => {
  await page.goto('/fraga');
  const formToken = await page.locator('input[name="formToken"]').inputValue();
  const startedAt = await page.locator('input[name="startedAt"]').inputValue();
  const form = { formToken, startedAt, message: 'Får jag elda ris i trädgården?', reply: 'no' };
  const before = storedCount();

  const first = await page.request.post('/fraga', { form, maxRedirects: 0 });
  const second = await page.request.post('/fraga', { form, maxRedirects: 0 });
  expect(first.status()).toBe(303);
  expect(second.status()).toBe(303);
  expect(second.headers()['location']).toBe(first.headers()['location']);
  expect(storedCount()).toBe(before + 1);
});
