/**
 * The Content-Security-Policy allows no inline script but the page's own (by hash). In a real
 * browser that must break nothing: no page reports a violation, and the form island still
 * hydrates and sends.
 */
import { expect, test, type Page } from '@playwright/test';
import { readReference, waitForEnhancement } from './journeys';

/** Collects CSP violations the page reports, from the DOM event and from the console. */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => console.error(`Refused to: ${event.violatedDirective} ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}:${event.columnNumber} on ${location.pathname}`));
  });
  return violations;
}

test('no page breaks its Content-Security-Policy, and the form still hydrates and sends', async ({ page }) => {
  const violations = await watchViolations(page);
  for (const path of ['/', '/fraga', '/felanmalan', '/ar/synpunkt', '/en/e-forslag', '/personuppgifter', '/offline', '/finns-inte']) {
    await page.goto(path);
    if (/fraga|felanmalan|synpunkt|e-forslag/.test(path)) await waitForEnhancement(page);
  }
  await page.goto('/fraga');
  await waitForEnhancement(page);
  await page.getByLabel('Din fråga').fill('Fungerar sidan med en strikt säkerhetspolicy?');
  await page.getByLabel('Nej, jag vill vara anonym').check();
  await page.getByRole('button', { name: 'Skicka frågan' }).click();
  await readReference(page);
  expect(violations).toEqual([]);
});
