import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { IDEMPOTENCY_HOLDER_SILENT_MS } from '../../src/server/storage/index';
import { CLAIM_HOLDER, decideExistingClaim, type IdempotencyRow } from '../../src/server/storage/records';

const now = new Date('2026-12-03T09:00:00.000Z');
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
/** The id of a process that ran and has ended. */
const endedPid = spawnSync(process.execPath, ['-e', '']).pid;

const unfinished = (holder: Partial<IdempotencyRow>): IdempotencyRow => ({
  fingerprint: 'f',
  submission_id: null,
  status_token: null,
  reference: null,
  claimed_at: ago(1_000),
  holder_id: CLAIM_HOLDER.id,
  holder_host: CLAIM_HOLDER.host,
  holder_pid: CLAIM_HOLDER.pid,
  ...holder,
});

describe('an unfinished idempotency claim', () => {
  it('makes a repeat wait while its holder runs: this process, or another live one on this machine', () => {
    expect(decideExistingClaim(unfinished({}), 'f', now)).toEqual({ state: 'in_progress' });
    expect(decideExistingClaim(unfinished({ holder_id: 'other', holder_pid: process.ppid }), 'f', now)).toEqual({ state: 'in_progress' });
    expect(decideExistingClaim(unfinished({ holder_id: 'other', holder_pid: process.ppid }), 'g', now)).toEqual({ state: 'mismatch' });
  });

  it('is taken over at once when its holder’s process on this machine has ended, or was an earlier life of this pid', () => {
    expect(decideExistingClaim(unfinished({ holder_id: 'crashed', holder_pid: endedPid }), 'f', now)).toEqual({ state: 'reclaim' });
    expect(decideExistingClaim(unfinished({ holder_id: 'before-restart' }), 'f', now)).toEqual({ state: 'reclaim' });
  });

  it('held on another machine waits until the holder has been silent too long, then is taken over', () => {
    const elsewhere = { holder_id: 'other', holder_host: 'another-host', holder_pid: 1 };
    expect(decideExistingClaim(unfinished(elsewhere), 'f', now)).toEqual({ state: 'in_progress' });
    expect(decideExistingClaim(unfinished({ ...elsewhere, claimed_at: ago(IDEMPOTENCY_HOLDER_SILENT_MS + 1) }), 'f', now)).toEqual({ state: 'reclaim' });
  });

  it('once completed answers with its response, whoever held it', () => {
    const completed = unfinished({ submission_id: 7, status_token: 't', reference: 'VDO-2026-000007', holder_pid: endedPid });
    expect(decideExistingClaim(completed, 'f', now)).toEqual({ state: 'completed', response: { reference: 'VDO-2026-000007', statusToken: 't' } });
    expect(decideExistingClaim(completed, 'g', now)).toEqual({ state: 'mismatch' });
  });
});
