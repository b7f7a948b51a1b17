/**
 * "Already reported?" in the browser, with JavaScript (offered while the form is filled in, in a
 * polite live region) and without (offered after the post, before anything is stored): the
 * person finds the open report at the same place, says it is their problem too and asks to be
 * told when it is fixed; every state scanned with axe.
 */
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from '../helpers/axe';
import { storedCount, waitForEnhancement } from './journeys';

test('someone about to report a broken street light finds it already reported and supports it instead', async ({ page, request, javaScriptEnabled }) => {
  // A place of its own in each project, so one run's report is not the other's.
  const place = `Tallbacken ${javaScriptEnabled ? 4 : 6}, Hemmesta`;
  const created = await request.post('/api/v1/submissions', {
    data: { type: 'fault_report', category: 'gatubelysning', location: { description: place }, message: 'Lampan är släckt.', contact: { email: 'forsta@example.se' } },
  });
  expect(created.status()).toBe(201);
  const { reference } = (await created.json()) as { reference: string };

  await page.goto('/felanmalan');
  if (javaScriptEnabled) await waitForEnhancement(page);
  await page.getByLabel('Vad gäller felet?').selectOption({ label: 'Gatubelysning' });
  await page.getByLabel('Var är felet?').fill(place.toLowerCase());
  const offered = page.getByRole('link', { name: `Gatubelysning: ${place}` });
  if (javaScriptEnabled) {
    await expect(offered).toBeVisible();
    await expect(page.locator('.nearby-reports')).toHaveAttribute('aria-live', 'polite');
    await expectNoAxeViolations(page, 'fault form offering a report at the same place');
  } else {
    await page.getByLabel('Vad är fel?').fill('Gatlampan lyser inte.');
    await page.getByLabel('Nej, jag vill vara anonym').check();
    const before = storedCount();
    await page.getByRole('button', { name: 'Skicka felanmälan' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'Redan anmält?' })).toBeVisible();
    await expect(page.locator('section[aria-labelledby="nearby-heading"]')).toBeFocused();
    await expect(page.getByLabel('Vad är fel?')).toHaveValue('Gatlampan lyser inte.');
    expect(storedCount()).toBe(before);
    await expectNoAxeViolations(page, 'fault form returned with a report at the same place');
  }
  await offered.click();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Gatubelysning: ${place}`);
  await expect(page.getByText(reference, { exact: true })).toBeVisible();
  await expectNoAxeViolations(page, 'public fault report');
  await page.getByLabel('E-post').fill('inte-en-adress');
  await page.getByRole('button', { name: 'Det här är mitt problem också' }).click();
  await expect(page.locator('.error-summary')).toBeFocused();
  await expect(page.getByLabel('E-post')).toHaveValue('inte-en-adress');
  await expectNoAxeViolations(page, 'public fault report with an error');
  await page.getByLabel('E-post').fill('granne@example.se');
  await page.getByRole('button', { name: 'Det här är mitt problem också' }).click();
  await expect(page.getByText('Tack! Vi har räknat med dig och mejlar dig när felet är åtgärdat.')).toBeVisible();
  await expect(page.locator('.summary-list')).toContainText('Fler med samma problem1');
  await expectNoAxeViolations(page, 'public fault report, supported');

  await page.getByRole('link', { name: 'Alla felanmälningar' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Felanmälningar som redan har kommit in');
  await expect(page.getByRole('link', { name: `Gatubelysning: ${place}` })).toBeVisible();
  await page.getByLabel('Visa', { exact: true }).selectOption({ label: 'Åtgärdade och avslutade fel' });
  await page.getByRole('button', { name: 'Visa felanmälningar' }).click();
  await expect(page.getByRole('link', { name: `Gatubelysning: ${place}` })).toHaveCount(0);
  await expectNoAxeViolations(page, 'fixed fault reports');
});
