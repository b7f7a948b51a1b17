/**
 * The simulated browser of the DOM tests: IndexedDB in memory (fake-indexeddb), emptied with the
 * page after each test so no draft or queued errand leaks into the next, and no server: a request
 * a test does not answer itself gets a 404, as from an API that has nothing to offer.
 */
import 'fake-indexeddb/auto';
import { cleanup } from '@testing-library/preact';
import { afterEach, beforeEach, vi } from 'vitest';
import { portalDatabase } from '../../src/client/database';

beforeEach(() => {
  vi.stubGlobal('fetch', vi.fn(async () => new Response(null, { status: 404 })));
});

afterEach(async () => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  const database = await portalDatabase();
  await Promise.all((['drafts', 'outbox', 'deliveries'] as const).map((store) => database.clear(store)));
});
