/**
 * Open311 API keys. A key is 32 random bytes, so a plain SHA-256 of it is enough to keep: unlike
 * a password it cannot be guessed, and the hash lets a key be looked up with one index read.
 */
import { createHash, randomBytes } from 'node:crypto';

/** Long enough for any app's name, short enough for the line on the errand page. */
export const MAX_OPEN311_CLIENT_NAME = 200;

/** A new key, shown to the admin once and never stored. */
export function newOpen311Key(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored of a key, and what a presented key is looked up by. */
export function hashOpen311Key(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
