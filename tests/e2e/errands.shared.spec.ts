/**
 * Every errand from the start page to the receipt and the status page, with JavaScript on
 * (project `js`) and off (project `no-js`), checked for accessibility at each step.
 */
import { expect, test } from '@playwright/test';
import municipality from '../../config/varmdo.json' with { type: 'json' };
import { replyByDate } from '../../src/lib/calendar';
import { formatLongDate } from '../../src/lib/dates';
import { expectNoAxeViolations } from '../helpers/axe';
import { JOURNEYS, readReference, storedSubmission, waitForEnhancement } from './journeys';

for (const journey of JOURNEYS) {
  test(`${journey.type}: start page → form → receipt → status page`, async ({ page, javaScriptEnabled }) => {
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
    await page.getByRole('link', { name: journey.linkName }).click();
    await expect(page).toHaveURL(journey.path);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(journey.linkName);
    await expect(page.getByRole('heading', { name: 'Det här behöver du' })).toBeVisible();
    if (javaScriptEnabled) await waitForEnhancement(page);
    await expectNoAxeViolations(page, `${journey.type} form`);

    await journey.fill(page, javaScriptEnabled);
    await page.getByRole('button', { name: journey.submitName }).click();
    await expect(page).toHaveURL(/\/kvitto\/[A-Za-z0-9_-]+$/);
    const reference = await readReference(page);

    const row = storedSubmission(reference);
    expect(row?.type).toBe(journey.type);
    expect(row?.language).toBe('sv');
    if (journey.answeredBy === null) {
      expect(row?.reply_by).toBeNull();
      await expect(page.getByText('Du valde att vara anonym. Därför kan vi inte svara dig.', { exact: false })).toBeVisible();
    } else {
      const replyBy = replyByDate(new Date(row?.received_at ?? ''), municipality.replyWithinWorkingDays[journey.type]);
      expect(row?.reply_by).toBe(replyBy);
      await expect(page.getByText(`${journey.answeredBy} svarar dig senast ${formatLongDate(replyBy, 'sv')}.`)).toBeVisible();
    }
    await expectNoAxeViolations(page, `${journey.type} receipt`);

    await page.getByRole('link', { name: `Se ärendet ${reference}` }).click();
    await expect(page).toHaveURL(/\/arende\/[A-Za-z0-9_-]+$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Ärende ${reference}`);
    await expect(page.getByText('Mottaget', { exact: true }).first()).toBeVisible();
    await expectNoAxeViolations(page, `${journey.type} status page`);
  });
}
