/**
 * The Swedish names on a page in another language — the municipality's, from the
 * configuration, and the service's own, "En väg in" — are marked lang="sv" wherever they show,
 * so a screen reader says them in Swedish (WCAG 3.1.2): in text and in image text alike.
 */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from '../helpers/server';
import { PAGES, VARIANTS, variant } from './locales';

const municipality = (JSON.parse(readFileSync(join(repositoryRoot, 'config/varmdo.json'), 'utf8')) as { name: string }).name;
const product = variant('sv').text('site.name');

/** How often a name shows on the page, and where it shows outside an element in Swedish (the element's tag and text). */
function namesOn(page: Page): Promise<{ shown: number; unmarked: string[] }> {
  return page.evaluate((names) => {
    const inSwedish = (element: Element | null) => (element?.closest('[lang]')?.getAttribute('lang') ?? '').split('-')[0] === 'sv';
    const found: string[] = [];
    let shown = 0;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const element = node.parentElement;
      const text = node.textContent ?? '';
      if (!element?.checkVisibility() || !names.some((name) => text.includes(name))) continue;
      shown += 1;
      if (!inSwedish(element)) found.push(`<${element.tagName.toLowerCase()}> ${text.trim()}`);
    }
    for (const image of document.querySelectorAll('img[alt]')) {
      const alt = image.getAttribute('alt') ?? '';
      if (!names.some((name) => alt.includes(name))) continue;
      shown += 1;
      if (!inSwedish(image)) found.push(`<img alt="${alt}">`);
    }
    return { shown, unmarked: found };
  }, [municipality, product]);
}

for (const language of VARIANTS.filter((candidate) => candidate.lang !== 'sv')) {
  test(`${language.locale}: the municipality's and the service's Swedish names are marked lang="sv" on every page`, async ({ page }) => {
    for (const { path, status } of PAGES) {
      const response = await page.goto(language.path(path));
      expect(response?.status(), path).toBe(status);
      const { shown, unmarked } = await namesOn(page);
      // Every page shows both names at least in its header and footer: finding none would mean the check looked nowhere.
      expect(shown, path).toBeGreaterThanOrEqual(3);
      expect(unmarked, path).toEqual([]);
    }
  });
}

test('the names stay unmarked on Swedish pages, which are Swedish throughout', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('header bdi[lang], header img[lang]')).toHaveCount(0);
  await page.goto(variant('en').path('/'));
  await expect(page.locator('header bdi[lang="sv"]')).toHaveText(product);
  await expect(page.getByRole('img', { name: municipality })).toHaveAttribute('lang', 'sv');
});
