/**
 * How a person fills in each errand, found by what they see (labels, buttons), shared by the
 * tests with and without JavaScript.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { e2eDatabasePath, openDatabase } from '../helpers/database';
import type { ErrandType } from '../../src/lib/intake/schema';

/** One errand: its link text on the start page, how to fill it in and its send button. */
export interface Journey {
  type: ErrandType;
  path: string;
  linkName: string;
  submitName: string;
  /** The unit the receipt names as the one who answers; null when the person stays anonymous. */
  answeredBy: string | null;
  /**
   * Fills the form in. Runs with and without JavaScript give different places, so the second
   * is not offered the first as the same fault already reported.
   */
  fill(page: Page, javaScriptEnabled: boolean): Promise<void>;
}

export const JOURNEYS: readonly Journey[] = [
  {
    type: 'question',
    path: '/fraga',
    linkName: 'Ställ en fråga',
    submitName: 'Skicka frågan',
    answeredBy: 'Kontaktcenter',
    async fill(page) {
      await page.getByLabel('Din fråga').fill('När töms soptunnorna i Gustavsberg?');
      await page.getByLabel('Ja, jag vill få svar').check();
      await page.getByLabel('E-post', { exact: true }).fill('fragande@example.se');
    },
  },
  {
    type: 'feedback',
    path: '/synpunkt',
    linkName: 'Lämna en synpunkt',
    submitName: 'Skicka synpunkten',
    answeredBy: null,
    async fill(page) {
      await page.getByLabel('Klagomål').check();
      await page.getByLabel('Din synpunkt').fill('Biblioteket stängde en timme för tidigt i tisdags.');
      await page.getByLabel('Vilken verksamhet gäller det?').selectOption({ label: 'Kultur, bibliotek och fritid' });
      await page.getByLabel('Nej, jag vill vara anonym').check();
    },
  },
  {
    type: 'fault_report',
    path: '/felanmalan',
    linkName: 'Anmäl ett fel',
    submitName: 'Skicka felanmälan',
    answeredBy: 'Gator, parker och natur',
    async fill(page, javaScriptEnabled) {
      await page.getByLabel('Vad gäller felet?').selectOption({ label: 'Gatubelysning' });
      await page.getByLabel('Var är felet?').fill(`Skogsbovägen ${javaScriptEnabled ? 9 : 11}, vid busshållplatsen`);
      await page.getByLabel('Vad är fel?').fill('Lampan lyser inte sedan en vecka.');
      await page.getByLabel('Telefon', { exact: true }).fill('070-123 45 67');
    },
  },
  {
    type: 'proposal',
    path: '/e-forslag',
    linkName: 'Lämna ett e-förslag',
    submitName: 'Skicka förslaget',
    answeredBy: 'Kommunledningskontoret',
    async fill(page) {
      await page.getByLabel('Rubrik').fill('Fler bänkar längs strandpromenaden');
      await page.getByLabel('Ditt förslag').fill('Sätt upp bänkar var hundrade meter.');
      await page.getByLabel('Namn', { exact: true }).fill('Maja Förslagsson');
      await page.getByLabel('E-post', { exact: true }).fill('maja@example.se');
    },
  },
];

/** The reference number shown on a receipt, checked against the configured format. */
export async function readReference(page: Page): Promise<string> {
  const shown = page.getByText(/^VDO-\d{4}-\d{6}$/);
  await expect(shown).toBeVisible();
  return (await shown.textContent())?.trim() ?? '';
}

/**
 * Waits until the form island has hydrated (Astro drops the `ssr` attribute then), so a test
 * of the JavaScript behaviour does not race the plain HTML form.
 */
export async function waitForEnhancement(page: Page): Promise<void> {
  await expect(page.locator('astro-island')).not.toHaveAttribute('ssr', /.*/);
}

/** The row stored under a reference, read from the end-to-end server's SQLite file. */
export function storedSubmission(reference: string): StoredRow | undefined {
  const database = openDatabase(e2eDatabasePath);
  try {
    return database.prepare('SELECT * FROM submissions WHERE reference = ?').get(reference) as StoredRow | undefined;
  } finally {
    database.close();
  }
}

/** How many submissions the end-to-end server has stored. */
export function storedCount(): number {
  const database = openDatabase(e2eDatabasePath);
  try {
    return (database.prepare('SELECT count(*) AS count FROM submissions').get() as { count: number }).count;
  } finally {
    database.close();
  }
}

/** A submissions row as the tests read it. */
export interface StoredRow {
  reference: string;
  type: string;
  language: string;
  received_at: string;
  reply_by: string | null;
  payload: string;
}

/**
 * Presses Tab until `target` has focus, as a keyboard user would; fails if it is not reached
 * within `limit` presses (a focus trap or a control left out of the tab order).
 */
export async function tabTo(page: Page, target: Locator, limit = 60): Promise<void> {
  for (let presses = 0; presses < limit; presses += 1) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}
