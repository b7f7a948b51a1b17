/**
 * The contact page keeps its "open now" line true while it stays open: the browser's clock is
 * set to a minute before closing, and a minute later the line says when it opens next.
 */
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from '../helpers/axe';

test('the opening status follows the clock while the page is open', async ({ page }) => {
  await page.clock.install({ time: new Date('2026-11-25T15:29:00Z') }); // Wednesday 16:29 in Sweden
  await page.goto('/kontakt');
  const phone = page.locator('[data-opening-channel="phone"]');
  await page.clock.runFor(61_000);
  await expect(phone).toHaveText('Stängt – öppnar torsdag 26 november kl. 08:00');
  await page.clock.setSystemTime(new Date('2026-11-26T07:30:00Z'));
  await page.clock.runFor(61_000);
  await expect(phone).toHaveText('Öppet nu – stänger 16:30');
});

test('"was this page helpful?" takes a no and a comment, and every state passes axe', async ({ page }) => {
  await page.goto('/kontakt');
  await page.getByRole('button', { name: 'Nej', exact: true }).click();
  await expect(page.getByText('Tack för ditt svar!')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Kontakt och öppettider');
  await expectNoAxeViolations(page, 'page feedback asking for a comment');
  await page.getByLabel('Vad kan vi göra bättre på sidan? (valfritt)').fill('Visa öppettiderna för påsk längre fram.');
  await page.getByRole('button', { name: 'Skicka', exact: true }).click();
  await expect(page.getByText('Tack! Vi läser alla kommentarer.')).toBeVisible();
  await expectNoAxeViolations(page, 'page feedback thanks');
});
