/**
 * Hints are part of what a screen reader reads with a field, with and without JavaScript: a
 * field's own hint, and a group's hint on every field of the group ("fill in e-mail or phone,
 * or both" on each contact field, the coordinate format on latitude and longitude), also
 * beside an error.
 */
import { expect, test, type Page } from '@playwright/test';
import { waitForEnhancement } from './journeys';

async function open(page: Page, path: string, javaScriptEnabled: boolean): Promise<void> {
  await page.goto(path);
  if (javaScriptEnabled) await waitForEnhancement(page);
}

for (const path of ['/fraga', '/synpunkt', '/felanmalan', '/e-forslag']) {
  test(`every hint beside a field on ${path} is in the description of a field it stands with`, async ({ page, javaScriptEnabled }) => {
    await open(page, path, javaScriptEnabled);
    // A hint inside a field, a fieldset or a details element describes the inputs there; notes
    // on the form as a whole (the draft notice, the sending status) stand outside any of them.
    const unreferenced = await page.locator('form.errand-form').evaluate((form) =>
      [...form.querySelectorAll('.field__hint, .radio__hint')].flatMap((hint) => {
        const container = hint.parentElement?.closest('.field, fieldset, details');
        if (!container || hint.getAttribute('role') === 'status') return [];
        const described = [...container.querySelectorAll('[aria-describedby]')].some((control) =>
          (control.getAttribute('aria-describedby') ?? '').split(/\s+/).includes(hint.id),
        );
        return hint.id !== '' && described ? [] : [hint.textContent ?? ''];
      }),
    );
    expect(unreferenced).toEqual([]);
  });
}

test('latitude and longitude are described by the coordinate format', async ({ page, javaScriptEnabled }) => {
  await open(page, '/felanmalan', javaScriptEnabled);
  await page.getByText('Ange position med koordinater').click();
  await expect(page.getByRole('textbox', { name: 'Latitud' })).toHaveAccessibleDescription('Decimalgrader, till exempel 59,32 och 18,39.');
  await expect(page.getByRole('textbox', { name: 'Longitud' })).toHaveAccessibleDescription('Decimalgrader, till exempel 59,32 och 18,39.');
});

test('each contact field is described by "e-mail or phone, or both", and an error comes after it', async ({ page, javaScriptEnabled }) => {
  await open(page, '/fraga', javaScriptEnabled);
  await page.getByLabel('Ja, jag vill få svar').check();
  const hint = 'Fyll i e-post eller telefon, eller båda.';
  for (const name of ['Namn (valfritt)', 'E-post', 'Telefon']) await expect(page.getByRole('textbox', { name, exact: true })).toHaveAccessibleDescription(hint);

  await page.getByLabel('Din fråga').fill('När töms soporna i Hemmesta?');
  await page.getByRole('button', { name: 'Skicka frågan' }).click();
  await expect(page.getByRole('textbox', { name: 'E-post', exact: true })).toHaveAccessibleDescription(
    `${hint} Fel: Skriv din e-postadress eller ditt telefonnummer, eller välj att vara anonym.`,
  );
});

test('the contact fields of a proposal are described by what the address is for', async ({ page, javaScriptEnabled }) => {
  await open(page, '/e-forslag', javaScriptEnabled);
  await expect(page.getByRole('textbox', { name: 'E-post', exact: true })).toHaveAccessibleDescription('Vi skriver till dig om vad som händer med förslaget.');
});
