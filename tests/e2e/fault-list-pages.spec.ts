/**
 * The public fault list over several pages: a middle page, with links to the first, previous,
 * next and last page around "page N of M", scanned with axe; following "last" and then
 * "previous" lands on the pages they name.
 */
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from '../helpers/axe';

test('a visitor pages through the reported faults with links alone', async ({ page, request }) => {
  // Three pages of 25 at least, in a category of their own in this run.
  for (let index = 0; index < 55; index += 1) {
    const created = await request.post('/api/v1/submissions', {
      data: { type: 'fault_report', category: 'nedskrapning', location: { description: `Skräpgränd ${index}, Gustavsberg` }, message: `Skräp vid bänk ${index}.` },
    });
    expect(created.status()).toBe(201);
  }
  await page.goto('/felanmalan/rapporterade?kategori=nedskrapning&status=oppna');
  const pages = page.getByRole('navigation', { name: 'Sidor med felanmälningar' });
  await expect(pages.getByText(/^Sida 1 av \d+$/)).toBeVisible();
  await pages.getByRole('link', { name: 'Nästa sida' }).click();

  await expect(pages.getByText(/^Sida 2 av \d+$/)).toHaveAttribute('aria-current', 'page');
  for (const name of ['Första sidan', 'Föregående sida', 'Nästa sida', 'Sista sidan']) await expect(pages.getByRole('link', { name })).toBeVisible();
  await expectNoAxeViolations(page, 'public fault list, a middle page');

  await pages.getByRole('link', { name: 'Sista sidan' }).click();
  const last = await pages.getByText(/^Sida \d+ av \d+$/).textContent();
  const [, shown, of] = /^Sida (\d+) av (\d+)$/.exec(last ?? '') ?? [];
  expect(shown).toBe(of);
  await expect(pages.getByRole('link', { name: 'Sista sidan' })).toHaveCount(0);
  await pages.getByRole('link', { name: 'Föregående sida' }).click();
  await expect(pages.getByText(new RegExp(`^Sida ${Number(of) - 1} av ${of}$`))).toBeVisible();
});
