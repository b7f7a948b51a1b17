/**
 * The database goes away while someone sends a question: the server answers 503, the page
 * keeps the question in its outbox and says so, and once the database is back the page
 * delivers it by itself (after the server's Retry-After) — exactly once. Without JavaScript the
 * 503 page keeps everything typed and sends it again once the database is back. A server of its
 * own, whose SQLite file another process locks, stands for the unreachable database.
 */
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from '../helpers/axe';
import { startServer, type RunningServer } from '../helpers/server';
import { waitForEnhancement } from './journeys';

let server: RunningServer;
test.beforeAll(async () => {
  server = await startServer({ env: { FORM_MIN_FILL_SECONDS: '0' } });
});
test.afterAll(async () => {
  await server.stop();
});

/** Holds SQLite's write lock from another connection until the returned function lets go. */
function lockDatabase(): () => void {
  const lock = new Database(server.databasePath);
  lock.exec('BEGIN EXCLUSIVE');
  return () => {
    lock.exec('ROLLBACK');
    lock.close();
  };
}

function storedWithMessage(message: string): number {
  const database = new Database(server.databasePath, { readonly: true });
  try {
    return (database.prepare("SELECT count(*) AS count FROM submissions WHERE json_extract(payload, '$.message') = ?").get(message) as { count: number }).count;
  } finally {
    database.close();
  }
}

test('a question sent while the database is down waits in the outbox and goes through by itself when it is back', async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto(`${server.url}/fraga`);
  await waitForEnhancement(page);
  const message = `Hur söker jag plats i förskolan? ${Date.now()}`;
  await page.getByLabel('Din fråga').fill(message);
  await page.getByLabel('Nej, jag vill vara anonym').check();

  const unlock = lockDatabase();
  try {
    await page.getByRole('button', { name: 'Skicka frågan' }).click();
    const queued = page.getByRole('heading', { name: 'Väntar på att skickas' });
    await expect(queued).toBeVisible({ timeout: 15_000 });
    await expect(page.getByText('Vi kan inte ta emot ärenden just nu. Ditt ärende är sparat på den här enheten')).toBeVisible();
    await expectNoAxeViolations(page, 'question waiting in the outbox while the database is down');
    expect(await page.getByLabel('Din fråga').inputValue()).toBe('');
  } finally {
    unlock();
  }

  // No reload, no button: the page tries again once the server's Retry-After has passed.
  await expect(page.locator('.outbox .reference')).toHaveText(/^VDO-\d{4}-\d{6}$/, { timeout: 30_000 });
  await expect(page.getByRole('heading', { name: 'Väntar på att skickas' })).toHaveCount(0);
  expect(storedWithMessage(message)).toBe(1);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a form posted while the database is down comes back with its text, in the person\'s language, and goes through once it is back', async ({ page }) => {
    test.setTimeout(60_000);
    await page.goto(`${server.url}/en/fraga`);
    const message = `How do I apply for a preschool place? ${Date.now()}`;
    await page.getByLabel('Your question').fill(message);
    await page.getByLabel('No, I want to stay anonymous').check();

    let unlock = lockDatabase();
    try {
      await page.getByRole('button', { name: 'Send the question' }).click();
      await expect(page.getByText('We cannot receive matters right now. What you have written is still here.')).toBeVisible();
      await expect(page.getByLabel('Your question')).toHaveValue(message);
      await expectNoAxeViolations(page, 'question form sent without JavaScript while the database is down');
    } finally {
      unlock();
    }
    await page.getByRole('button', { name: 'Send the question' }).click();
    await expect(page.getByText('Your reference number')).toBeVisible();
    expect(storedWithMessage(message)).toBe(1);

    // A post the page itself cannot keep (page feedback) gets the outage page, which keeps it.
    unlock = lockDatabase();
    try {
      await page.getByRole('button', { name: 'No', exact: true }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'The service is not available right now' })).toBeVisible();
      await expectNoAxeViolations(page, 'outage page keeping a post');
    } finally {
      unlock();
    }
    await page.getByRole('button', { name: 'Send again' }).click();
    // Taken: back on the page it was given on, with the feedback's token for the comment that may follow.
    await expect(page).toHaveURL(/\/kvitto\/[\w-]+\?sidfeedback=[\w-]{8,}#sidfeedback$/);
  });
});
