/**
 * Every page that needs no submission in Swedish without JavaScript (languages.spec.ts checks
 * every language with it), and what the start page routes elsewhere.
 */
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from '../helpers/axe';
import { PAGES, variant } from './locales';

const swedish = variant('sv');


for (const { path, heading, status } of PAGES) {
  test(`${path} answers ${status}, is in Swedish and has no accessibility violations`, async ({ page }) => {
    const response = await page.goto(path);
    expect(response?.status()).toBe(status);
    await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(swedish.text(heading));
    await expectNoAxeViolations(page, path);
  });
}

test('the start page says what is not handled here and where it goes instead', async ({ page }) => {
  await page.goto('/');
  const elsewhere = page.getByRole('region', { name: 'Det här tar vi inte emot här' });
  await expect(elsewhere.getByRole('heading', { name: 'Akut fara: ring 112' })).toBeVisible();
  for (const link of ['Så överklagar du ett beslut', 'Så anmäler du en skada']) {
    await expect(elsewhere.getByRole('link', { name: link })).toHaveAttribute('href', /^https:\/\//);
  }
  // The elected officials are listed here, with a search and their e-mail addresses.
  await elsewhere.getByRole('link', { name: 'Kommunens förtroendevalda' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Förtroendevalda' })).toBeVisible();
  await expect(page.getByText('hanteras inte av den här tjänsten')).toBeVisible();
  await page.getByLabel('Sök på namn, parti eller uppdrag').fill('socialnämnden');
  await page.getByRole('button', { name: 'Sök', exact: true }).click();
  await expect(page.getByText('Visar 2 av 8 förtroendevalda.')).toBeVisible();
  const row = page.getByRole('row', { name: /David Mallsson/ });
  await expect(row.getByRole('link')).toHaveAttribute('href', 'mailto:david.mallsson@politiker.exempel.se');
  await expect(page.getByRole('row', { name: /Anna Exempelsson/ })).toHaveCount(0);
  await expectNoAxeViolations(page, 'elected officials, searched');
});
