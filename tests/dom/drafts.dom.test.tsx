/** The draft kept on this device, as a person meets it: offered back with its time, continued or thrown away, saved as they type. */
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { loadDraft, saveDraft } from '../../src/client/drafts';
import ErrandForm from '../../src/islands/ErrandForm';
import { formPropsFor } from '../helpers/form-props';

const props = formPropsFor('question');
const text = (key: string) => props.text[key] ?? key;
const savedAt = '2026-03-02T09:15:00.000Z';
const savedTime = new Intl.DateTimeFormat(props.intlLocale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(savedAt));

describe('a draft of the question form', () => {
  it('is offered back with the time it was saved, and continuing puts what was typed back in the fields', async () => {
    await saveDraft('question', 'sv', { values: { message: 'Hur gör jag en bygglovsansökan?', 'contact.name': 'Vera Vägar' }, photos: [], savedAt });
    render(<ErrandForm {...props} />);

    const offer = await screen.findByRole('region', { name: text('draft.found').replace('{{time}}', savedTime) });
    expect(offer).toHaveProperty('textContent', expect.stringContaining(savedTime));
    fireEvent.click(screen.getByRole('button', { name: text('draft.continue') }));

    await waitFor(() => expect(screen.getByLabelText(text('form.message.question.label'), { exact: false })).toHaveProperty('value', 'Hur gör jag en bygglovsansökan?'));
    expect(screen.getByLabelText(text('form.contact.name.label'), { exact: false })).toHaveProperty('value', 'Vera Vägar');
    expect(screen.queryByRole('region', { name: /./ })).toBeNull();
  });

  it('is removed from the device when the person discards it', async () => {
    await saveDraft('question', 'sv', { values: { message: 'Gammal fråga' }, photos: [], savedAt });
    render(<ErrandForm {...props} />);

    fireEvent.click(await screen.findByRole('button', { name: text('draft.discard') }));

    await waitFor(() => expect(screen.queryByRole('button', { name: text('draft.discard') })).toBeNull());
    expect(await loadDraft('question', 'sv')).toBeUndefined();
    expect(screen.getByLabelText(text('form.message.question.label'), { exact: false })).toHaveProperty('value', '');
  });

  it('is not offered over a form the server returned with errors', async () => {
    await saveDraft('question', 'sv', { values: { message: 'Gammal fråga' }, photos: [], savedAt });
    render(<ErrandForm {...formPropsFor('question', { values: { message: '' }, errors: [{ field: 'message', message: text('error.message.required') }] })} />);

    await screen.findByRole('alert');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.queryByRole('button', { name: text('draft.continue') })).toBeNull();
  });

  it('is saved a moment after the person stops typing', async () => {
    render(<ErrandForm {...props} />);
    const message = screen.getByLabelText(text('form.message.question.label'), { exact: false });

    fireEvent.input(message, { target: { value: 'När töms soptunnan?' } });
    expect(await loadDraft('question', 'sv')).toBeUndefined();

    await waitFor(async () => expect((await loadDraft('question', 'sv'))?.values['message']).toBe('När töms soptunnan?'), { timeout: 2000 });
  });
});
