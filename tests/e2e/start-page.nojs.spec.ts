/**
 * The start page on a narrow phone, without JavaScript, in Swedish and in Arabic: the quick links
 * above the four errands reach the pages they name, and the fault entry gives the on-call number.
 */
import { expect, test } from '@playwright/test';
import { variant } from './locales';

test.use({ viewport: { width: 320, height: 640 } });

const QUICK_LINKS = [
  { link: 'follow.title', heading: 'follow.title' },
  { link: 'home.quickLinks.answers', heading: 'answers.title' },
  { link: 'home.quickLinks.faults', heading: 'faults.title' },
  { link: 'home.quickLinks.proposals', heading: 'proposals.title' },
  { link: 'home.quickLinks.contact', heading: 'contact.title' },
];

for (const locale of ['sv', 'ar'] as const) {
  const language = variant(locale);
  test(`${locale}: the quick links above the errands lead where they say, and the fault entry has the on-call number`, async ({ page }) => {
    for (const { link, heading } of QUICK_LINKS) {
      await page.goto(language.path('/'));
      const quickLinks = page.getByRole('navigation', { name: language.text('home.quickLinks.heading') });
      const firstErrand = page.getByRole('heading', { level: 2, name: language.text('errand.question.action') });
      expect((await quickLinks.boundingBox())!.y).toBeLessThan((await firstErrand.boundingBox())!.y);
      await quickLinks.getByRole('link', { name: language.text(link), exact: true }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(language.text(heading));
    }
    await page.goto(language.path('/'));
    const faultEntry = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: language.text('errand.fault_report.action') }) });
    await expect(faultEntry.getByRole('link', { name: '08-570 470 50' })).toHaveAttribute('href', 'tel:0857047050');
    await expect(faultEntry.getByText(language.text('home.faultReplyNote'), { exact: false })).toBeVisible();
  });
}
