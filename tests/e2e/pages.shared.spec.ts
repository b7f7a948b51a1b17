/** Every page that needs no submission, checked for language and accessibility. */
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from '../helpers/axe';

const PAGES = [
  { path: '/', heading: 'Vad vill du göra?' },
  { path: '/fraga', heading: 'Ställ en fråga' },
  { path: '/synpunkt', heading: 'Lämna en synpunkt' },
  { path: '/felanmalan', heading: 'Anmäl ett fel' },
  { path: '/e-forslag', heading: 'Lämna ett e-förslag' },
  { path: '/personuppgifter', heading: 'Så hanterar vi personuppgifter' },
  { path: '/sidan-finns-inte', heading: 'Sidan finns inte', status: 404 },
  { path: '/kvitto/okand-lank-utan-arende-1234', heading: 'Sidan finns inte', status: 404 },
];

for (const { path, heading, status = 200 } of PAGES) {
  test(`${path} answers ${status}, is in Swedish and has no accessibility violations`, async ({ page }) => {
    const response = await page.goto(path);
    expect(response?.status()).toBe(status);
    await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
    await expectNoAxeViolations(page, path);
  });
}

test('the start page says what is not handled here and where it goes instead', async ({ page }) => {
  await page.goto('/');
  const elsewhere = page.getByRole('region', { name: 'Det här tar vi inte emot här' });
  await expect(elsewhere.getByRole('heading', { name: 'Akut fara: ring 112' })).toBeVisible();
  for (const link of ['Så överklagar du ett beslut', 'Så anmäler du en skada', 'Kommunens förtroendevalda']) {
    await expect(elsewhere.getByRole('link', { name: link })).toHaveAttribute('href', /^https:\/\//);
  }
});
