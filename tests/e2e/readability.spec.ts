/**
 * LIX of the main text of every Swedish page, standard and lättläst, measured in the browser
 * on what a reader sees, and printed so the figures can be followed over time.
 */
import { expect, test } from '@playwright/test';
import { readability } from '../helpers/lix';
import { variant } from './locales';

// Not /fortroendevalda, /e-forslag/publicerade nor /felanmalan/rapporterade: their main text is
// mostly names of people, parties, committees, proposals and places, and LIX would measure those
// names (and whatever other tests reported) rather than our language.
const PAGES = ['/', '/fraga', '/synpunkt', '/felanmalan', '/e-forslag', '/personuppgifter', '/kontakt', '/tillganglighet', '/svar'];
const LIMITS = [
  { locale: 'sv', limit: 40 },
  { locale: 'lattlast', limit: 30 },
] as const;

for (const { locale, limit } of LIMITS) {
  test(`${locale}: every page's main text has LIX at most ${limit}`, async ({ page }) => {
    const figures: string[] = [];
    const tooHard: string[] = [];
    for (const path of PAGES) {
      await page.goto(variant(locale).path(path));
      const measured = readability(await page.locator('main').innerText());
      figures.push(`${locale.padEnd(8)} ${path.padEnd(16)} LIX ${String(measured.lix).padStart(5)}  (${measured.words} words, ${measured.sentences} sentences, ${measured.longWords} long)`);
      if (measured.lix > limit) tooHard.push(`${path}: ${measured.lix}`);
    }
    console.log(figures.join('\n'));
    expect(tooHard).toEqual([]);
  });
}
