/**
 * Photos without JavaScript: chosen with the plain file input, kept by the server when the
 * form comes back with an error (shown, and removable), and stored without any metadata.
 */
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from '../helpers/axe';
import { e2eDatabasePath } from '../helpers/database';
import { metadataOf, photoWithGps } from '../helpers/photos';
import { readReference, storedSubmission } from './journeys';

/** The photos stored with a submission, read straight from the database file. */
function storedPhotos(reference: string): Buffer[] {
  const database = new Database(e2eDatabasePath, { readonly: true });
  try {
    return (
      database
        .prepare('SELECT a.bytes FROM attachments a JOIN submissions s ON s.id = a.submission_id WHERE s.reference = ? ORDER BY a.id')
        .all(reference) as { bytes: Buffer }[]
    ).map((row) => row.bytes);
  } finally {
    database.close();
  }
}

test('a photo survives a validation error, can be removed, and is stored without metadata', async ({ page }) => {
  await page.goto('/felanmalan');
  await page.getByLabel('Vad gäller felet?').selectOption({ label: 'Park eller lekplats' });
  await page.getByLabel('Vad är fel?').fill('Gungan är trasig.');
  await page.getByLabel('Nej, jag vill vara anonym').check();
  await page.getByLabel(/^Bilder/).setInputFiles([
    { name: 'gunga.jpg', mimeType: 'image/jpeg', buffer: await photoWithGps('jpeg') },
    { name: 'oversikt.webp', mimeType: 'image/webp', buffer: await photoWithGps('webp', { width: 800, height: 600 }) },
  ]);
  await page.getByRole('button', { name: 'Skicka felanmälan' }).click();

  // The place was missing: the form comes back with both photos kept and shown.
  await expect(page.locator('.error-summary').getByRole('link')).toHaveText(['Skriv var felet finns.']);
  const kept = page.getByRole('group', { name: 'Bilder som du redan har lagt till' });
  await expect(kept.getByRole('img')).toHaveCount(2);
  await expect(kept.getByRole('img', { name: 'Bild 1' })).toBeVisible();
  await expectNoAxeViolations(page, 'fault report with kept photos after an error');

  await kept.getByLabel('Ta bort bild 2').check();
  await page.getByLabel('Var är felet?').fill('Lekplatsen vid Ekedal');
  await page.getByRole('button', { name: 'Skicka felanmälan' }).click();

  const reference = await readReference(page);
  await expect(page.getByRole('img', { name: 'Bild 1' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'Bild 2' })).toHaveCount(0);
  expect(storedSubmission(reference)?.type).toBe('fault_report');
  const photos = storedPhotos(reference);
  expect(photos).toHaveLength(1);
  expect(await metadataOf(photos[0] as Buffer)).toEqual({ format: 'jpeg', exif: false, xmp: false, iptc: false });
});

test('a file that is not a photo is refused with a clear message and the text kept', async ({ page }) => {
  await page.goto('/felanmalan');
  await page.getByLabel('Vad är fel?').fill('Skylten har fallit.');
  await page.getByLabel(/^Bilder/).setInputFiles({ name: 'skylt.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('det här är ingen bild') });
  const response = page.waitForResponse((candidate) => candidate.request().method() === 'POST');
  await page.getByRole('button', { name: 'Skicka felanmälan' }).click();
  expect((await response).status()).toBe(415);
  await expect(page.locator('.error-summary')).toContainText('Filen är inte en bild som vi kan ta emot.');
  await expect(page.getByLabel('Vad är fel?')).toHaveValue('Skylten har fallit.');
});

test('an empty file is named in the error, and the other photo and the text are kept; no file chosen is no photo', async ({ page }) => {
  await page.goto('/felanmalan');
  await page.getByLabel('Vad gäller felet?').selectOption({ label: 'Park eller lekplats' });
  await page.getByLabel('Vad är fel?').fill('Rutschkanan är sprucken.');
  // A place of its own, so no earlier report is offered as the same fault.
  const place = `Lekplatsen vid Brunns skola ${Date.now()}`;
  await page.getByLabel('Var är felet?').fill(place);
  await page.getByLabel('Nej, jag vill vara anonym').check();
  await page.getByLabel(/^Bilder/).setInputFiles([
    { name: 'rutschkana.jpg', mimeType: 'image/jpeg', buffer: await photoWithGps('jpeg') },
    { name: 'tom-bild.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(0) },
  ]);
  const response = page.waitForResponse((candidate) => candidate.request().method() === 'POST');
  await page.getByRole('button', { name: 'Skicka felanmälan' }).click();
  expect((await response).status()).toBe(422);

  await expect(page.locator('.error-summary').getByRole('link')).toHaveText(['Filen tom-bild.jpg är tom. Välj bilden igen eller välj en annan bild.']);
  await expect(page.getByLabel(/^Bilder/)).toHaveAccessibleDescription(/Filen tom-bild\.jpg är tom\./);
  await expect(page.getByLabel('Vad är fel?')).toHaveValue('Rutschkanan är sprucken.');
  await expect(page.getByLabel('Var är felet?')).toHaveValue(place);
  await expect(page.getByRole('group', { name: 'Bilder som du redan har lagt till' }).getByRole('img')).toHaveCount(1);

  // Sent again with the file input left empty: the kept photo goes with it, and nothing else.
  await page.getByRole('button', { name: 'Skicka felanmälan' }).click();
  const reference = await readReference(page);
  expect(storedPhotos(reference)).toHaveLength(1);
});
