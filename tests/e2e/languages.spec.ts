/**
 * Every page in every language variant: the right lang and dir, the page's own heading in that
 * language, and no accessibility violations. Also the language switcher and its memory.
 */
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from '../helpers/axe';
import { PAGES, VARIANTS, variant } from './locales';


for (const language of VARIANTS) {
  for (const { path, heading, status } of PAGES) {
    test(`${language.locale} ${path}: lang, dir, heading and accessibility`, async ({ page }) => {
      const response = await page.goto(language.path(path));
      expect(response?.status()).toBe(status);
      await expect(page.locator('html')).toHaveAttribute('lang', language.lang);
      await expect(page.locator('html')).toHaveAttribute('dir', language.dir);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(language.text(heading));
      await expectNoAxeViolations(page, `${language.locale} ${path}`);
    });
  }

  test(`${language.locale}: the receipt and status pages of an errand sent in this language`, async ({ page, request }) => {
    const created = await request.post('/api/v1/submissions', {
      data: { type: 'feedback', feedbackKind: 'praise', message: 'Tack för den fina lekplatsen!', contact: null, language: language.locale },
    });
    expect(created.status()).toBe(201);
    const { statusUrl, reference } = (await created.json()) as { statusUrl: string; reference: string };
    expect(new URL(statusUrl).pathname).toMatch(new RegExp(`^${language.path('/arende/').replace(/\/$/, '')}/[\\w-]+$`));

    await page.goto(statusUrl);
    await expect(page.locator('html')).toHaveAttribute('dir', language.dir);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(language.text('status.title').replace('{{reference}}', reference));
    await expectNoAxeViolations(page, `${language.locale} status page`);

    await page.goto(new URL(statusUrl).pathname.replace('/arende/', '/kvitto/'));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(language.text('receipt.title.feedback'));
    await expect(page.getByText(reference, { exact: true })).toBeVisible();
    await expectNoAxeViolations(page, `${language.locale} receipt`);
  });

  test(`${language.locale}: a fault report as the public sees it, and "this is my problem too"`, async ({ page, request }) => {
    const place = `Torget ${language.locale}`;
    const created = await request.post('/api/v1/submissions', {
      data: { type: 'fault_report', category: 'nedskrapning', location: { description: place }, message: 'Papperskorgen är full.', contact: null, language: language.locale },
    });
    const { reference } = (await created.json()) as { reference: string };
    await page.goto(language.path(`/felanmalan/rapporterade/${reference}`));
    await expect(page.locator('html')).toHaveAttribute('dir', language.dir);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(place);
    await expectNoAxeViolations(page, `${language.locale} public fault report`);
    await page.getByRole('button', { name: language.text('faults.support.submit') }).click();
    await expect(page.getByText(language.text('faults.support.added'))).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`^[^?]*${language.path('/felanmalan/rapporterade/')}${reference}\\?stod=added$`));
    await expectNoAxeViolations(page, `${language.locale} public fault report, supported`);
  });
}

test('the switcher names each language in that language, keeps the page and remembers the choice', async ({ page }) => {
  const other = variant('uk');
  await page.goto('/felanmalan');
  const switcher = page.getByRole('navigation', { name: variant('sv').text('layout.languages.label') });
  for (const language of VARIANTS) {
    const link = switcher.getByRole('link', { name: language.text('language.autonym'), exact: true });
    await expect(link).toHaveAttribute('lang', language.lang);
  }
  await expect(switcher.getByRole('link', { name: 'Svenska', exact: true })).toHaveAttribute('aria-current', 'true');

  await switcher.getByRole('link', { name: other.text('language.autonym'), exact: true }).click();
  await expect(page).toHaveURL(other.path('/felanmalan'));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(other.text('errand.fault_report.action'));

  // Coming back to the Swedish start page later leads to the chosen language.
  await page.goto('/');
  await expect(page).toHaveURL(other.path('/'));

  const otherSwitcher = page.getByRole('navigation', { name: other.text('layout.languages.label') });
  await otherSwitcher.getByRole('link', { name: 'Svenska', exact: true }).click();
  await expect(page).toHaveURL('/');
  await page.goto('/');
  await expect(page).toHaveURL('/');
});

test('every page links its other language versions with hreflang', async ({ page }) => {
  await page.goto('/fraga');
  const origin = new URL(page.url()).origin;
  const expected = VARIANTS.filter((language) => language.locale !== 'lattlast').map((language) => [language.lang, language.path('/fraga')]);
  for (const [hreflang, path] of [...expected, ['x-default', '/fraga']]) {
    await expect(page.locator(`link[rel="alternate"][hreflang="${hreflang}"]`)).toHaveAttribute('href', `${origin}${path}`);
  }
});
