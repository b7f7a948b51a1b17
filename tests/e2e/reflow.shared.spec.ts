/**
 * Reflow (WCAG 1.4.10): at 320 CSS pixels wide no page scrolls sideways, in any of the eight
 * language variants, with and without JavaScript: every public page, each form's error state,
 * a receipt and a status page, and the staff pages in Swedish and English.
 */
import { expect, test, type Page } from '@playwright/test';
import { startServer, type RunningServer } from '../helpers/server';
import { addStaffUser, STAFF_PASSWORD } from '../helpers/staff';
import { JOURNEYS, readReference, waitForEnhancement } from './journeys';
import { PAGES, VARIANTS, type Variant } from './locales';

/** The narrowest screen WCAG 1.4.10 asks content to fit (a 1280 px wide window at 400 %). */
const NARROW = { width: 320, height: 640 };

test.use({ viewport: NARROW });

/** How wide the page is against the window, and the innermost elements that stick out. */
interface Reflow {
  scrollWidth: number;
  clientWidth: number;
  outside: string[];
}

function measureReflow(page: Page): Promise<Reflow> {
  return page.evaluate(() => {
    const { scrollWidth, clientWidth } = document.documentElement;
    if (scrollWidth <= clientWidth) return { scrollWidth, clientWidth, outside: [] };
    const sticksOut = (box: DOMRect) => box.width > 0 && (box.right > clientWidth + 0.5 || box.left < -0.5);
    const sticking = [...document.body.querySelectorAll('*')].filter((element) => sticksOut(element.getBoundingClientRect()));
    // A word too long for its line overflows its element's box without moving the box itself.
    const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let text = texts.nextNode(); text !== null; text = texts.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(text);
      if (text.parentElement && sticksOut(range.getBoundingClientRect()) && !sticking.includes(text.parentElement)) sticking.push(text.parentElement);
    }
    // The innermost ones are the cause; their ancestors only stick out because they contain them.
    const innermost = sticking.filter((element) => !sticking.some((other) => other !== element && element.contains(other)));
    const describe = (element: Element) => {
      const box = element.getBoundingClientRect();
      const id = element.id ? `#${element.id}` : '';
      const classes = [...element.classList].map((name) => `.${name}`).join('');
      const text = (element.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40);
      return `<${element.tagName.toLowerCase()}${id}${classes}> from ${Math.round(box.left)} to ${Math.round(box.right)} px${text ? ` "${text}"` : ''}`;
    };
    return { scrollWidth, clientWidth, outside: innermost.slice(0, 5).map(describe) };
  });
}

/** Fails, naming what sticks out, when the page as it is now is wider than the window. */
async function expectNoSidewaysScroll(page: Page, what: string): Promise<void> {
  const reflow = await measureReflow(page);
  expect(
    reflow.scrollWidth,
    `${what} is ${reflow.scrollWidth} px wide in a ${reflow.clientWidth} px window; sticking out:\n  ${reflow.outside.join('\n  ')}`,
  ).toBeLessThanOrEqual(reflow.clientWidth);
}

for (const language of VARIANTS) {
  test(`${language.locale}: every public page fits 320 px`, async ({ page }) => {
    for (const { path, status } of PAGES) {
      const response = await page.goto(language.path(path));
      expect(response?.status(), language.path(path)).toBe(status);
      await expectNoSidewaysScroll(page, language.path(path));
    }
  });

  test(`${language.locale}: each form sent empty, a receipt and a status page fit 320 px`, async ({ page, javaScriptEnabled }) => {
    for (const journey of JOURNEYS) {
      await page.goto(language.path(journey.path));
      if (javaScriptEnabled) await waitForEnhancement(page);
      await page.getByRole('button', { name: language.text(`form.submit.${journey.type}`) }).click();
      await expect(page.locator('.error-summary')).toBeFocused();
      await expectNoSidewaysScroll(page, `${language.path(journey.path)} with errors`);
    }
    await sendQuestion(page, language, javaScriptEnabled);
    const reference = await readReference(page);
    await expectNoSidewaysScroll(page, `${language.locale} receipt`);
    await page.getByRole('link', { name: language.text('receipt.statusLink').replace('{{reference}}', reference) }).click();
    await expect(page).toHaveURL(/\/arende\/[A-Za-z0-9_-]+$/);
    await expectNoSidewaysScroll(page, `${language.locale} status page`);
  });
}

/** Sends a question without asking for a reply, so that a receipt and a status page follow. */
async function sendQuestion(page: Page, language: Variant, javaScriptEnabled: boolean): Promise<void> {
  await page.goto(language.path('/fraga'));
  if (javaScriptEnabled) await waitForEnhancement(page);
  await page.getByLabel(language.text('form.message.question.label')).fill('Hur lång tid tar ett bygglov?');
  await page.getByLabel(language.text('form.reply.no')).check();
  await page.getByRole('button', { name: language.text('form.submit.question') }).click();
}

test.describe('staff pages', () => {
  let server: RunningServer;
  test.beforeAll(async () => {
    server = await startServer({ env: { FORM_MIN_FILL_SECONDS: '0' } });
    addStaffUser(server.databaseUrl, { email: 'ada@varmdo.se', name: 'Ada Admin', role: 'admin' });
  });
  test.afterAll(async () => {
    await server.stop();
  });

  test('the sign-in page with an error, the inbox, an errand, follow-up and Open311 keys fit 320 px in Swedish and English', async ({ page }) => {
    const submitted = await page.request.post(`${server.url}/api/v1/submissions`, {
      data: { type: 'question', message: 'Hur lång tid tar ett bygglov?', contact: { email: 'anna@example.se' } },
    });
    expect(submitted.status(), await submitted.text()).toBe(201);
    const { reference } = (await submitted.json()) as { reference: string };

    await page.goto(`${server.url}/handlaggning/logga-in`);
    await page.getByLabel('E-postadress').fill('ada@varmdo.se');
    await page.getByLabel('Lösenord').fill('fel lösenord');
    await page.getByRole('button', { name: 'Logga in' }).click();
    await expect(page.locator('.error-summary')).toBeVisible();
    await expectNoSidewaysScroll(page, 'staff sign-in with an error');
    await page.getByLabel('Lösenord').fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await expect(page).toHaveURL(`${server.url}/handlaggning`);

    for (const prefix of ['', '/en']) {
      for (const path of ['/handlaggning', `/handlaggning/arende/${reference}`, '/handlaggning/uppfoljning', '/handlaggning/open311']) {
        const response = await page.goto(`${server.url}${prefix}${path}`);
        expect(response?.status(), `${prefix}${path}`).toBe(200);
        await expectNoSidewaysScroll(page, `${prefix}${path}`);
      }
    }
  });
});
