/**
 * The PWA on a flaky connection: drafts survive reloads, pages open offline (or the offline
 * page does), and a submission made offline is delivered exactly once when the connection returns.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations } from '../helpers/axe';
import { photoWithGps } from '../helpers/photos';
import { repositoryRoot } from '../helpers/server';
import { readReference, storedCount, storedSubmission, waitForEnhancement } from './journeys';
import { VARIANTS } from './locales';

/** Waits until the service worker controls the page, as it does from the first visit on. */
async function waitForServiceWorker(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null && navigator.serviceWorker?.controller !== undefined, undefined, {
    timeout: 15_000,
  });
}

/** The outbox items as stored in IndexedDB, read the way the page reads them. */
function outboxItems(page: Page): Promise<unknown[]> {
  return page.evaluate(
    () =>
      new Promise<unknown[]>((resolve, reject) => {
        const open = indexedDB.open('en-vag-in');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('outbox').objectStore('outbox').getAll();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        };
      }),
  );
}

test('a draft survives a reload without a connection, and can be continued or thrown away', async ({ page, context }) => {
  await page.goto('/fraga');
  await waitForServiceWorker(page);
  // Loaded once under the service worker, the form is kept on the device.
  await page.reload();
  await waitForEnhancement(page);
  await expect(page.getByText('sparas som ett utkast på den här enheten')).toBeVisible();
  await page.getByLabel('Din fråga').fill('Hur långt är det kvar till sommarlovet?');
  await page.getByLabel('E-post', { exact: true }).fill('utkast@example.se');
  // Autosave runs shortly after typing stops.
  await page.waitForTimeout(1000);

  await context.setOffline(true);
  try {
    await page.reload();
    await waitForEnhancement(page);
    const offer = page.getByRole('region', { name: /Du har ett utkast som sparades/ });
    await expect(offer).toBeVisible();
    await expectNoAxeViolations(page, 'question form offering a draft');
    await offer.getByRole('button', { name: 'Fortsätt med utkastet' }).click();
    await expect(page.getByLabel('Din fråga')).toHaveValue('Hur långt är det kvar till sommarlovet?');
    await expect(page.getByLabel('E-post', { exact: true })).toHaveValue('utkast@example.se');
  } finally {
    await context.setOffline(false);
  }

  await page.reload();
  await waitForEnhancement(page);
  await page.getByRole('button', { name: 'Släng utkastet' }).click();
  await page.reload();
  await waitForEnhancement(page);
  await expect(page.getByRole('region', { name: /Du har ett utkast/ })).toHaveCount(0);
  await expect(page.getByLabel('Din fråga')).toHaveValue('');
});

test('offline, the start page opens from the device and other pages show the offline page', async ({ page, context }) => {
  await page.goto('/');
  await waitForServiceWorker(page);
  // Visited once, the contact page (opening hours) is kept on the device.
  await page.goto('/kontakt');
  await context.setOffline(true);
  try {
    await page.goto('/kontakt');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Kontakt och öppettider');
    await expect(page.locator('[data-opening-channel="phone"]')).toHaveText(/^(Öppet nu|Stängt)/);
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vad vill du göra?');
    await page.goto('/kvitto/finns-inte-pa-enheten-123456');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Du är inte ansluten');
    await expectNoAxeViolations(page, 'offline page');
    // In another offered language, the offline page speaks it.
    const other = VARIANTS.find((candidate) => candidate.locale !== 'sv');
    if (other) {
      await page.goto(other.path('/arende/finns-inte-pa-enheten-123456'));
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(other.text('offline.title'));
    }
  } finally {
    await context.setOffline(false);
  }
});

test('a fault report sent offline is queued, then delivered exactly once when the connection returns', async ({ page, context }) => {
  await page.goto('/felanmalan');
  await waitForServiceWorker(page);
  await waitForEnhancement(page);
  const before = storedCount();

  await context.setOffline(true);
  await page.getByLabel('Vad gäller felet?').selectOption({ label: 'Snö och halka' });
  await page.getByLabel('Var är felet?').fill('Gångvägen vid Farstaviken');
  await page.getByLabel('Vad är fel?').fill('Ingen sandning, mycket halt.');
  await page.getByLabel('Nej, jag vill vara anonym').check();
  await page.getByRole('button', { name: 'Skicka felanmälan' }).click();

  const queued = page.getByRole('heading', { name: 'Väntar på att skickas' });
  await expect(queued).toBeVisible();
  await expect(page.getByText('Ditt ärende är sparat på den här enheten och skickas automatiskt')).toBeVisible();
  await expectNoAxeViolations(page, 'fault report queued offline');
  const [item] = await outboxItems(page);
  expect(storedCount()).toBe(before);

  await context.setOffline(false);
  await page.evaluate(() => dispatchEvent(new Event('online')));
  const reference = page.locator('.outbox .reference');
  await expect(reference).toHaveText(/^VDO-\d{4}-\d{6}$/);
  await expect(queued).toHaveCount(0);
  await expectNoAxeViolations(page, 'fault report form showing a delivered reference number');
  expect(storedCount()).toBe(before + 1);
  const delivered = (await reference.textContent()) ?? '';
  expect(JSON.parse(storedSubmission(delivered)?.payload ?? '{}')).toMatchObject({ type: 'fault_report', location: { description: 'Gångvägen vid Farstaviken' } });

  // The same outbox item sent again (a second tab, a retry after a lost answer) stores nothing new.
  await page.evaluate(
    (again) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('en-vag-in');
        open.onsuccess = () => {
          const transaction = open.result.transaction('outbox', 'readwrite');
          transaction.objectStore('outbox').put(again);
          transaction.oncomplete = () => resolve();
          transaction.onerror = () => reject(transaction.error);
        };
      }),
    item,
  );
  await page.evaluate(() => dispatchEvent(new Event('online')));
  await expect.poll(async () => (await outboxItems(page)).length).toBe(0);
  expect(storedCount()).toBe(before + 1);
});

test('a sent errand leaves no draft behind', async ({ page }) => {
  await page.goto('/synpunkt');
  await waitForEnhancement(page);
  await page.getByLabel('Förslag').check();
  await page.getByLabel('Din synpunkt').fill('Fler papperskorgar vid badplatsen.');
  await page.getByLabel('Nej, jag vill vara anonym').check();
  await page.waitForTimeout(1000);
  await page.getByRole('button', { name: 'Skicka synpunkten' }).click();
  await readReference(page);
  await page.goto('/synpunkt');
  await waitForEnhancement(page);
  await expect(page.getByRole('region', { name: /Du har ett utkast/ })).toHaveCount(0);
});

test('a fault report with a photo is sent through the API and the receipt shows the photo', async ({ page }) => {
  await page.goto('/felanmalan');
  await waitForEnhancement(page);
  await page.getByLabel('Vad gäller felet?').selectOption({ label: 'Klotter och skadegörelse' });
  await page.getByLabel('Var är felet?').fill('Tunneln under Värmdövägen');
  await page.getByLabel('Vad är fel?').fill('Klotter på båda väggarna.');
  await page.getByLabel('Nej, jag vill vara anonym').check();
  await page.getByLabel(/^Bilder/).setInputFiles({ name: 'klotter.png', mimeType: 'image/png', buffer: await photoWithGps('png') });
  await expect(page.getByRole('list', { name: 'Bilder som du har valt' }).getByRole('img')).toHaveCount(1);
  await expectNoAxeViolations(page, 'fault report with a chosen photo');
  await page.getByRole('button', { name: 'Skicka felanmälan' }).click();

  const reference = await readReference(page);
  await expect(page.getByRole('img', { name: 'Bild 1' })).toBeVisible();
  expect(storedSubmission(reference)?.type).toBe('fault_report');

  // Nothing sent, and no page with personal data, is ever kept in Cache Storage.
  const cached = await page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
    }
    return urls;
  });
  expect(cached.length).toBeGreaterThan(0);
  expect(cached.filter((path) => /\/(kvitto|arende|api|bilagor)\//.test(path))).toEqual([]);
});

test('"use my position" fills in the coordinates, and says so; a refusal is explained', async ({ page, context }) => {
  await context.grantPermissions(['geolocation']);
  await context.setGeolocation({ latitude: 59.3251234, longitude: 18.3812345 });
  await page.goto('/felanmalan');
  await waitForEnhancement(page);
  await page.getByRole('button', { name: 'Använd min position' }).click();
  await expect(page.getByText('Din position är ifylld')).toBeVisible();
  await expect(page.getByLabel('Latitud')).toHaveValue('59.325123');
  await expect(page.getByLabel('Longitud')).toHaveValue('18.381235');

  await context.clearPermissions();
  await page.reload();
  await waitForEnhancement(page);
  await page.getByRole('button', { name: 'Använd min position' }).click();
  await expect(page.getByText('Du har inte gett tillåtelse att använda din position.')).toBeVisible();
  await expectNoAxeViolations(page, 'fault report after a refused position');
});

test('a waiting errand can be cancelled, and is then never sent', async ({ page, context }) => {
  await page.goto('/fraga');
  await waitForServiceWorker(page);
  await waitForEnhancement(page);
  const before = storedCount();
  await context.setOffline(true);
  await page.getByLabel('Din fråga').fill('Det här ångrar jag.');
  await page.getByLabel('Nej, jag vill vara anonym').check();
  await page.getByRole('button', { name: 'Skicka frågan' }).click();
  await expect(page.getByRole('heading', { name: 'Väntar på att skickas' })).toBeVisible();
  await page.getByRole('button', { name: 'Skicka inte' }).click();
  await expect(page.getByRole('heading', { name: 'Väntar på att skickas' })).toHaveCount(0);

  await context.setOffline(false);
  await page.evaluate(() => dispatchEvent(new Event('online')));
  await expect.poll(async () => (await outboxItems(page)).length).toBe(0);
  await page.waitForTimeout(500);
  expect(storedCount()).toBe(before);
});

/** Puts a newer build of the service worker on the server while `during` runs, as a deploy under an open page would. */
async function withNewerServiceWorker(page: Page, during: () => Promise<void>): Promise<void> {
  const worker = join(repositoryRoot, 'dist/client/sw.js');
  const original = readFileSync(worker, 'utf8');
  writeFileSync(worker, `${original}\n// a newer version ${Date.now()}\n`);
  try {
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    await expect(page.getByRole('status').filter({ hasText: 'Det finns en ny version av tjänsten.' })).toBeVisible();
    await during();
  } finally {
    writeFileSync(worker, original);
  }
}

const newVersionWaits = (page: Page) => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting !== null);

/** The page came whole from the new version: it controls the page, none waits, and the logo loaded. */
async function expectServedByNewVersion(page: Page): Promise<void> {
  expect(await newVersionWaits(page)).toBe(false);
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state)).toBe('activated');
  expect(await page.getByRole('banner').getByRole('img').evaluate((logo: HTMLImageElement) => logo.naturalWidth)).toBeGreaterThan(0);
}

test('a new version is announced politely, waits while the person types, and takes over on the next page', async ({ page }) => {
  await page.goto('/fraga');
  await waitForServiceWorker(page);
  await waitForEnhancement(page);
  await page.getByLabel('Din fråga').fill('Halvskriven fråga');

  await withNewerServiceWorker(page, async () => {
    await expect(page.getByLabel('Din fråga')).toHaveValue('Halvskriven fråga');
    expect(await newVersionWaits(page)).toBe(true);
    await expectNoAxeViolations(page, 'question form announcing a new version');

    await page.getByRole('banner').getByRole('link', { name: /Värmdö kommun/ }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/./);
    await expect(page).toHaveURL(/\/$/);
    await expectServedByNewVersion(page);
  });
});

test('an errand sent while a new version waits opens its receipt under the new version', async ({ page }) => {
  await page.goto('/fraga');
  await waitForServiceWorker(page);
  await waitForEnhancement(page);
  await page.getByLabel('Din fråga').fill('Skickad mitt i en uppdatering.');
  await page.getByLabel('Nej, jag vill vara anonym').check();

  await withNewerServiceWorker(page, async () => {
    await page.getByRole('button', { name: 'Skicka frågan' }).click();
    await expect(page.getByRole('heading', { name: 'Tack! Vi har tagit emot din fråga' })).toBeVisible();
    await readReference(page);
    await expectServedByNewVersion(page);
  });
});
