/**
 * Staff sign-in and sessions. Sessions are rows in the database (any instance can serve any
 * request); the cookie holds a random token whose SHA-256 is what is stored. Every state-
 * changing form carries the session's CSRF token; the sign-in form, used before there is a
 * session, carries one tied to a short-lived cookie instead. Sign-in is the one place that
 * knows how a person proved who they are: an OpenID Connect callback would end in the same
 * `startSession`.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AstroCookies } from 'astro';
import type { StaffSession, StaffUser } from '../storage/cases';
import type { Store } from '../storage/index';
import { verifyAgainstNothing, verifyPassword } from './passwords';

export const SESSION_COOKIE = 'handlaggning';
export const SIGN_IN_CSRF_COOKIE = 'handlaggning-inloggning';
const SESSION_LIFETIME_MS = 8 * 60 * 60 * 1000;

/** Failed sign-ins before sign-in closes, and how long it then stays closed: doubling from 30 s, at most an hour. */
const FREE_ATTEMPTS = 3;
export function lockoutMs(failures: number): number {
  const base = Number(process.env['SIGN_IN_LOCKOUT_SECONDS'] ?? 30) * 1000;
  return failures <= FREE_ATTEMPTS ? 0 : Math.min(base * 2 ** (failures - FREE_ATTEMPTS - 1), 60 * 60 * 1000);
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');

export function sameToken(given: string | undefined | null, expected: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieOptions(secure: boolean, maxAgeSeconds?: number) {
  return { httpOnly: true, sameSite: 'lax' as const, secure, path: '/', ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }) };
}

export async function currentSession(store: Store, cookies: AstroCookies, now: Date): Promise<StaffSession | undefined> {
  const token = cookies.get(SESSION_COOKIE)?.value;
  return token ? store.staffSession(hashToken(token), now) : undefined;
}

/**
 * Starts a session for a person who has proved who they are. Always a new token: a token set
 * before sign-in (session fixation) is never promoted.
 */
export async function startSession(store: Store, cookies: AstroCookies, user: StaffUser, secure: boolean, now: Date): Promise<void> {
  const previous = cookies.get(SESSION_COOKIE)?.value;
  if (previous) await store.deleteStaffSession(hashToken(previous));
  const token = newToken();
  await store.createStaffSession(hashToken(token), user.id, newToken(), now, new Date(now.getTime() + SESSION_LIFETIME_MS));
  cookies.set(SESSION_COOKIE, token, cookieOptions(secure, SESSION_LIFETIME_MS / 1000));
  cookies.delete(SIGN_IN_CSRF_COOKIE, { path: '/' });
}

export async function endSession(store: Store, cookies: AstroCookies): Promise<void> {
  const token = cookies.get(SESSION_COOKIE)?.value;
  if (token) await store.deleteStaffSession(hashToken(token));
  cookies.delete(SESSION_COOKIE, { path: '/' });
}

/** The token the sign-in form carries, set as a cookie too (double submit). */
export function signInCsrfToken(cookies: AstroCookies, secure: boolean): string {
  const existing = cookies.get(SIGN_IN_CSRF_COOKIE)?.value;
  if (existing) return existing;
  const token = newToken();
  cookies.set(SIGN_IN_CSRF_COOKIE, token, cookieOptions(secure, 60 * 60));
  return token;
}

export type SignInResult = { outcome: 'signed_in'; user: StaffUser } | { outcome: 'wrong' } | { outcome: 'locked'; until: string };

/** Checks an e-mail address and password, counting failures per address and closing sign-in after too many. */
export async function signInWithPassword(store: Store, email: string, password: string, now: Date): Promise<SignInResult> {
  const lockedUntil = await store.signInLockedUntil(email, now);
  if (lockedUntil) return { outcome: 'locked', until: lockedUntil };
  const user = await store.staffUserByEmail(email);
  const valid = user ? await verifyPassword(password, user.passwordHash) : await verifyAgainstNothing(password);
  if (user && valid) {
    await store.clearSignInFailures(email);
    return { outcome: 'signed_in', user };
  }
  const failure = await store.recordSignInFailure(email, now, lockoutMs);
  return failure.lockedUntil ? { outcome: 'locked', until: failure.lockedUntil } : { outcome: 'wrong' };
}
