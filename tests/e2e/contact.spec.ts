/**
 * The contact page keeps its "open now" line true while it stays open: the browser's clock is
 * set to a minute before closing, and a minute later the line says when it opens next.
 */
import { expect, test } from '@playwright/test';

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
