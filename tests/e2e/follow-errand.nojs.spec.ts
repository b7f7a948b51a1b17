/**
 * "Följ ditt ärende" without JavaScript, in Swedish and in Arabic (right to left): from the start
 * page's link, the empty form sent back with its errors, what was typed kept, and the answer
 * every request gets; each state scanned with axe.
 */
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from '../helpers/axe';
import { variant } from './locales';

for (const locale of ['sv', 'ar'] as const) {
  const language = variant(locale);
  test(`${locale}: the start page leads to it, it marks what is missing, keeps what was typed and answers without telling anything`, async ({ page }) => {
    await page.goto(language.path('/'));
    await page.getByRole('navigation', { name: language.text('home.quickLinks.heading') }).getByRole('link', { name: language.text('follow.title') }).click();
    await expect(page.locator('html')).toHaveAttribute('dir', language.dir);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(language.text('follow.title'));
    await expectNoAxeViolations(page, `${locale} follow your errand`);

    await page.getByRole('button', { name: language.text('follow.submit') }).click();
    const summary = page.getByRole('alert');
    await expect(summary.getByRole('link', { name: language.text('error.reference.required') })).toBeVisible();
    await expect(summary.getByRole('link', { name: language.text('error.email.required') })).toBeVisible();
    await expect(page).toHaveTitle(new RegExp(`^${language.text('layout.errorTitlePrefix')}`));
    await expectNoAxeViolations(page, `${locale} follow your errand, nothing filled in`);

    const reference = page.getByLabel(language.text('follow.reference.label'));
    await reference.fill('12345');
    await page.getByLabel(language.text('follow.email.label')).fill('nadia@example.se');
    await page.getByRole('button', { name: language.text('follow.submit') }).click();
    await expect(reference).toHaveValue('12345');
    await expect(reference).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByLabel(language.text('follow.email.label'))).toHaveValue('nadia@example.se');
    await summary.getByRole('link').first().click();
    await expect(reference).toBeFocused();

    await reference.fill('VDO-2026-999999');
    await page.getByRole('button', { name: language.text('follow.submit') }).click();
    await expect(page.getByRole('status').filter({ hasText: language.text('follow.sent') })).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`${language.path('/folj-arende')}\\?skickat$`));
    await expectNoAxeViolations(page, `${locale} follow your errand, asked`);
  });
}
