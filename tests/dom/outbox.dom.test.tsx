/**
 * The outbox, as a person without a connection meets it: the errand is kept on the device and
 * shown as waiting, and once the server can be reached it is delivered — exactly once, however
 * often the page tries — and shown with its reference number.
 */
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pendingItems, SUBMISSIONS_ENDPOINT } from '../../src/client/outbox';
import ErrandForm from '../../src/islands/ErrandForm';
import { formPropsFor } from '../helpers/form-props';

const props = formPropsFor('question');
const text = (key: string) => props.text[key] ?? key;
const REFERENCE = 'FR-2026-00042';

let online = true;
Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => online });
afterEach(() => {
  online = true;
});

/** The submission requests by their Idempotency-Key, with the status each got (undefined: no connection). */
const attempts: { key: string; status: number | undefined }[] = [];
let serverReachable = false;

function stubServer() {
  attempts.length = 0;
  vi.mocked(fetch).mockImplementation(async (url, init) => {
    if (url !== SUBMISSIONS_ENDPOINT) return new Response(null, { status: 404 });
    const key = (init?.headers as Record<string, string>)['Idempotency-Key'] ?? '';
    if (!serverReachable) {
      attempts.push({ key, status: undefined });
      throw new TypeError('Failed to fetch');
    }
    attempts.push({ key, status: 201 });
    return Response.json({ reference: REFERENCE, statusUrl: `/arende/${REFERENCE}`, receiptUrl: `/kvitto/${REFERENCE}` }, { status: 201 });
  });
}

/** One errand, one key: every attempt carried the same Idempotency-Key, and one of them was taken. */
function expectDeliveredOnce() {
  expect(new Set(attempts.map(({ key }) => key)).size).toBe(1);
  expect(attempts.filter(({ status }) => status === 201)).toHaveLength(1);
}

async function sendQuestion() {
  render(<ErrandForm {...props} />);
  fireEvent.input(screen.getByLabelText(text('form.message.question.label'), { exact: false }), { target: { value: 'Var lämnar jag grovsopor?' } });
  fireEvent.click(screen.getByRole('radio', { name: text('form.reply.no') }));
  fireEvent.click(screen.getByRole('button', { name: text('form.submit.question') }));
  await screen.findByRole('heading', { name: text('outbox.pendingHeading') });
}

async function reconnect() {
  serverReachable = true;
  online = true;
  dispatchEvent(new Event('online'));
  await screen.findByText(REFERENCE);
}

describe('a question sent without a connection', () => {
  it('waits on the device while offline, then is delivered once when the connection returns', async () => {
    stubServer();
    serverReachable = false;
    online = false;
    await sendQuestion();

    expect(screen.getByText(text('outbox.queued'))).toBeDefined();
    await waitFor(() => expect(screen.getByLabelText(text('form.message.question.label'), { exact: false })).toHaveProperty('value', ''));
    expect(attempts.every(({ status }) => status === undefined)).toBe(true);

    await reconnect();
    dispatchEvent(new Event('online'));
    await new Promise((resolve) => setTimeout(resolve, 50));

    expectDeliveredOnce();
    expect(screen.getByText(text('outbox.delivered').replace('{{errand}}', text('errand.question.name')), { exact: false })).toBeDefined();
    expect(screen.queryByRole('heading', { name: text('outbox.pendingHeading') })).toBeNull();
    expect(await pendingItems()).toEqual([]);
  });

  it('is kept when the request fails on the way, and delivered once under the same key', async () => {
    stubServer();
    serverReachable = false;
    await sendQuestion();

    expect(screen.getByText(text('outbox.queuedServerBusy'))).toBeDefined();
    await reconnect();
    await waitFor(async () => expect(await pendingItems()).toEqual([]));

    expectDeliveredOnce();
  });
});
