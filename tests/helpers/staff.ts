/**
 * Staff accounts and signed-in requests for tests: accounts are made with the real CLI
 * (`npm run user:add`), and a small cookie jar carries the session like a browser would.
 */
import { spawnSync } from 'node:child_process';
import { rawRequest, type RawResponse } from '../api/support';
import { repositoryRoot } from './server';

export const STAFF_PASSWORD = 'ett riktigt långt lösenord';

export function addStaffUser(databaseUrl: string, user: { email: string; name: string; role: string; units?: string[] }): string {
  const result = spawnSync(
    process.execPath,
    ['scripts/user-add.mjs', '--email', user.email, '--name', user.name, '--role', user.role, ...(user.units ?? []).flatMap((unit) => ['--unit', unit])],
    { cwd: repositoryRoot, encoding: 'utf8', env: { ...process.env, DATABASE_URL: databaseUrl, NEW_USER_PASSWORD: STAFF_PASSWORD } },
  );
  if (result.status !== 0) throw new Error(`user:add failed: ${result.stderr}`);
  return result.stdout;
}

/** A client of the server at `baseUrl` that keeps cookies, as a browser does. */
export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(
    private readonly baseUrl: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  async request(path: string, options: { method?: string; form?: Record<string, string> } = {}): Promise<RawResponse> {
    const response = await rawRequest(`${this.baseUrl}${path}`, {
      method: options.method ?? (options.form ? 'POST' : 'GET'),
      headers: {
        ...this.headers,
        ...(this.cookies.size > 0 ? { Cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') } : {}),
        ...(options.form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(options.form ? { body: new URLSearchParams(options.form).toString() } : {}),
    });
    for (const line of setCookies(response)) {
      const [pair = ''] = line.split(';');
      const [name = '', value = ''] = pair.split('=');
      if (/max-age=0|expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  async signIn(email: string, password = STAFF_PASSWORD): Promise<RawResponse> {
    const page = await this.request('/handlaggning/logga-in');
    return this.request('/handlaggning/logga-in', { form: { csrf: csrfOf(page), email, password, till: '/handlaggning' } });
  }
}

/** The Set-Cookie lines of a response. */
export function setCookies(response: RawResponse): string[] {
  const header = response.headers['set-cookie'];
  return Array.isArray(header) ? header : header ? [header] : [];
}

/** The CSRF token of a staff page's form. */
export function csrfOf(page: RawResponse): string {
  const match = /name="csrf" value="([^"]+)"/.exec(page.text);
  if (!match?.[1]) throw new Error(`no CSRF token on the page (status ${page.status})`);
  return match[1];
}
