/**
 * Photos chosen for a fault report, as a person meets them: shown as a preview, renamed .jpg
 * once made small, and refused at the photo field when there are too many or the browser
 * cannot read one. happy-dom decodes and draws no images, so createImageBitmap and the
 * canvas are stood in for by the least that lets the shrinking code run.
 */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { loadDraft } from '../../src/client/drafts';
import ErrandForm from '../../src/islands/ErrandForm';
import { fieldId } from '../../src/lib/intake/errors';
import { PHOTOS_FIELD } from '../../src/lib/intake/form';
import { formPropsFor } from '../helpers/form-props';

const props = formPropsFor('fault_report');
const text = (key: string, values: Record<string, string | number> = {}) =>
  Object.entries(values).reduce((result, [name, value]) => result.replaceAll(`{{${name}}}`, String(value)), props.text[key] ?? key);

/** What the stand-in canvas was asked to encode. */
let encoded: { width: number; height: number; type: string | undefined }[] = [];

beforeEach(() => {
  encoded = [];
  vi.stubGlobal(
    'createImageBitmap',
    vi.fn(async (file: Blob) => {
      if (file.type === 'application/pdf') throw new DOMException('The source image could not be decoded.', 'InvalidStateError');
      return { width: 4000, height: 3000, close: () => undefined };
    }),
  );
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue({ drawImage: () => undefined } as unknown as CanvasRenderingContext2D);
  vi.spyOn(HTMLCanvasElement.prototype, 'toBlob').mockImplementation(function (this: HTMLCanvasElement, callback: BlobCallback, type?: string) {
    encoded.push({ width: this.width, height: this.height, type });
    callback(new Blob(['jpeg'], { type: type ?? 'image/png' }));
  });
  vi.spyOn(URL, 'createObjectURL').mockImplementation(() => `blob:preview-${encoded.length}`);
});

const photoInput = () => screen.getByLabelText(text('form.photos.label'), { exact: false }) as HTMLInputElement;
const choose = (...files: File[]) => fireEvent.change(photoInput(), { target: { files } });
const photoError = () => document.getElementById(`${fieldId(PHOTOS_FIELD)}-error`);

describe('photos on a fault report', () => {
  it('shows a chosen photo as a preview, made small as a JPEG and named .jpg', async () => {
    render(<ErrandForm {...props} />);

    choose(new File(['x'.repeat(2048)], 'IMG_0001.HEIC', { type: 'image/heic' }));

    const selected = await screen.findByRole('list', { name: text('form.photos.selected') });
    expect(within(selected).getByRole('img', { name: text('form.photos.alt', { number: 1 }) })).toHaveProperty('src', 'blob:preview-1');
    expect(within(selected).getByRole('button', { name: text('form.photos.remove', { number: 1 }) })).toBeDefined();
    expect(encoded).toEqual([{ width: 1600, height: 1200, type: 'image/jpeg' }]);
  });

  it('keeps the photo with its name ending in .jpg, in the draft', async () => {
    render(<ErrandForm {...props} />);

    choose(new File(['x'], 'gatlampa.png', { type: 'image/png' }));

    await waitFor(async () => expect((await loadDraft('fault_report', 'sv'))?.photos.map((photo) => [photo.name, photo.blob.type])).toEqual([['gatlampa.jpg', 'image/jpeg']]), {
      timeout: 2000,
    });
  });

  it('refuses more photos than an errand takes, at the photo field', async () => {
    render(<ErrandForm {...props} />);

    choose(...Array.from({ length: 6 }, (_, index) => new File(['x'], `bild-${index}.jpg`, { type: 'image/jpeg' })));

    await waitFor(() => expect(photoError()?.textContent).toContain(text('error.photos.tooMany')));
    expect(photoInput().getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toContain(text('error.photos.tooMany'));
    expect(screen.queryByRole('list', { name: text('form.photos.selected') })).toBeNull();
  });

  it('says so at the photo field when the browser cannot read the file as an image', async () => {
    render(<ErrandForm {...props} />);

    choose(new File(['%PDF'], 'karta.pdf', { type: 'application/pdf' }));

    await waitFor(() => expect(photoError()?.textContent).toContain(text('error.photos.unsupportedType')));
    expect(encoded).toEqual([]);
  });
});
