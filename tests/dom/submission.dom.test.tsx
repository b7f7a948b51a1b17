/**
 * Sending the form, as a person meets a mistake: the same error summary whether the browser's
 * check or the server found it — a link to each wrong field with its message, focus on the
 * summary and the page title marked, as after a post without JavaScript.
 */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { SUBMISSIONS_ENDPOINT } from '../../src/client/outbox';
import ErrandForm from '../../src/islands/ErrandForm';
import { fieldId } from '../../src/lib/intake/errors';
import { formPropsFor } from '../helpers/form-props';

const props = formPropsFor('question');
const text = (key: string) => props.text[key] ?? key;
const PAGE_TITLE = 'Ställ en fråga';

/** The requests that tried to submit the errand. */
const submissions = () => vi.mocked(fetch).mock.calls.filter(([url]) => url === SUBMISSIONS_ENDPOINT);

function answerSubmissions(response: () => Response) {
  vi.mocked(fetch).mockImplementation(async (url) => (url === SUBMISSIONS_ENDPOINT ? response() : new Response(null, { status: 404 })));
}

function fill(label: string, value: string) {
  fireEvent.input(screen.getByLabelText(label, { exact: false }), { target: { value } });
}

async function expectSummaryWith(errors: { field: string; message: string }[]) {
  const alert = await screen.findByRole('alert');
  expect(within(alert).getByRole('heading', { name: text('errorSummary.title') })).toBeDefined();
  for (const { field, message } of errors) {
    expect(within(alert).getByRole('link', { name: message }).getAttribute('href')).toBe(`#${fieldId(field)}`);
  }
  await waitFor(() => expect(document.activeElement).toBe(alert.parentElement));
  expect(document.title).toBe(`${text('layout.errorTitlePrefix')}${PAGE_TITLE}`);
}

beforeEach(() => {
  document.title = PAGE_TITLE;
});

describe('sending the question form', () => {
  it('shows what the server found wrong, linked to the fields, with focus on the summary', async () => {
    answerSubmissions(() =>
      Response.json(
        { type: 'about:blank', status: 422, errors: [{ field: 'contact.email', code: 'error.email.invalid' }, { field: 'contact.phone', code: 'error.phone.invalid' }] },
        { status: 422, headers: { 'Content-Type': 'application/problem+json' } },
      ),
    );
    render(<ErrandForm {...props} />);
    fill(text('form.message.question.label'), 'När töms soptunnan på Skogsvägen?');
    fill(text('form.contact.email.label'), 'vera@example.se');

    fireEvent.click(screen.getByRole('button', { name: text('form.submit.question') }));

    await expectSummaryWith([
      { field: 'contact.email', message: text('error.email.invalid') },
      { field: 'contact.phone', message: text('error.phone.invalid') },
    ]);
    expect(submissions()).toHaveLength(1);
    expect(screen.getByLabelText(text('form.contact.email.label'), { exact: false }).getAttribute('aria-invalid')).toBe('true');
  });

  it('shows a mistake the browser finds itself the same way, without sending anything', async () => {
    render(<ErrandForm {...props} />);

    fireEvent.click(screen.getByRole('button', { name: text('form.submit.question') }));

    await expectSummaryWith([{ field: 'message', message: text('error.message.required') }]);
    expect(submissions()).toHaveLength(0);
  });

  it('marks the title once however many times the check fails', async () => {
    render(<ErrandForm {...props} />);
    const send = screen.getByRole('button', { name: text('form.submit.question') });

    fireEvent.click(send);
    await screen.findByRole('alert');
    fireEvent.click(send);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('alert').parentElement));

    expect(document.title).toBe(`${text('layout.errorTitlePrefix')}${PAGE_TITLE}`);
  });
});
