/**
 * Automated accessibility check for end-to-end tests: WCAG 2.0–2.2 level A and AA plus axe's
 * best practices, with no violation allowed. Works with JavaScript disabled too (Chromium only).
 * Each page state it scans is also kept for the Nu Html Checker (tests/helpers/html-capture.mjs).
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import type { AxeResults, Result } from 'axe-core';
import { saveHtml } from './html-capture.mjs';

/** The rule sets the portal promises to meet (the law requires WCAG 2.1 AA; 2.2 AA is our aim). */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/**
 * True when the page's document runs scripts. HTML parses `<noscript>` content as text only
 * when scripting is on, so this reads the same flag the browser used for the page, whatever a
 * Content-Security-Policy allows. Evaluated over the DevTools protocol, which runs either way.
 */
const SCRIPTING_ENABLED_PROBE = `(() => {
  const probe = document.createElement('noscript');
  probe.innerHTML = '<b></b>';
  return probe.children.length === 0;
})()`;

/**
 * Scans a page that runs no scripts (`javaScriptEnabled: false`). axe is itself a script, and
 * in such a page not even its timers or promises advance, so the scan would wait forever. Instead
 * the page's current DOM is served again, at the same address, to a fresh page that may run
 * scripts but whose Content-Security-Policy allows none of the page's own: axe (injected over the
 * DevTools protocol, which the policy does not govern) then sees the no-JavaScript rendering.
 * A scripting browser hides `<noscript>` content that a non-scripting one shows, so that content
 * is put in place of its `<noscript>` before the scan. What the DOM does not hold (focus, values
 * typed since the page loaded) is not carried over; axe's rules do not depend on it.
 */
async function scanScriptlessPage(page: Page): Promise<AxeResults> {
  const browser = page.context().browser();
  if (browser === null) throw new Error('expectNoAxeViolations needs a page from a launched browser');
  const address = new URL(page.url());
  const html = await page.content();
  // Playwright Test gives new contexts the project's options, javaScriptEnabled: false included.
  const copyContext = await browser.newContext({ javaScriptEnabled: true, viewport: page.viewportSize() });
  try {
    const copy = await copyContext.newPage();
    await copy.route(
      (url) => url.origin === address.origin && url.pathname === address.pathname && url.search === address.search,
      (route) =>
        route.fulfill({
          status: 200,
          contentType: 'text/html; charset=utf-8',
          headers: { 'Content-Security-Policy': "script-src 'none'" },
          body: html,
        }),
    );
    await copy.goto(address.href);
    await copy.evaluate(() => {
      for (const noscript of document.querySelectorAll('noscript')) {
        const parsed = document.createElement('template');
        parsed.innerHTML = noscript.textContent ?? '';
        noscript.replaceWith(parsed.content);
      }
    });
    return await new AxeBuilder({ page: copy }).withTags(AXE_TAGS).analyze();
  } finally {
    await copyContext.close();
  }
}

/** Runs axe on the page as it is now, with or without JavaScript (Chromium only). */
async function scan(page: Page): Promise<AxeResults> {
  const session = await page.context().newCDPSession(page);
  const { result } = await session.send('Runtime.evaluate', { expression: SCRIPTING_ENABLED_PROBE, returnByValue: true });
  await session.detach();
  return result.value === true ? new AxeBuilder({ page }).withTags(AXE_TAGS).analyze() : scanScriptlessPage(page);
}

function describeViolation(violation: Result): string {
  const elements = violation.nodes.map((node) => `    at ${node.target.join(' ')}\n      ${node.html}`);
  return [`  ${violation.id} (${violation.impact ?? 'impact unknown'}): ${violation.help}`, `    ${violation.helpUrl}`, ...elements].join('\n');
}

/**
 * Runs axe on the page as it is now and fails the test with one readable entry per violated
 * rule (id, impact, help, and each offending element's selector and HTML). `context` names the
 * page state in that message, e.g. "fault report form after a failed submit".
 */
export async function expectNoAxeViolations(page: Page, context?: string): Promise<void> {
  const where = context ?? page.url();
  // The DOM as it is now, scripts' work included (a form the island has marked up, say); the
  // documents as served are kept by the end-to-end server, which sees every response.
  saveHtml(await page.content(), `dom ${where} ${new URL(page.url()).pathname}`);
  const results = await scan(page);
  const report = results.violations.map(describeViolation).join('\n');
  expect(results.violations.length, `accessibility violations on ${where}:\n${report}`).toBe(0);
}
