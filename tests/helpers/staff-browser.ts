/**
 * A signed-in staff member in API tests: a client of one server that keeps its cookies as a
 * browser does, signs in through the real form and reads the CSRF token staff forms carry.
 */
import { rawRequest, type RawResponse } from '../api/support';
import { STAFF_PASSWORD } from './staff';

/** A client of one server that keeps cookies, as a browser does. */
export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(
    private readonly baseUrl: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  async request(path: string, options: { method?: string; form?: Record<string, string> | URLSearchParams } = {}): Promise<RawResponse> {
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

/** The CSRF token a staff page's forms carry. */
export function csrfOf(page: RawResponse): string {
  const match = /name="csrf" value="([^"]+)"/.exec(page.text);
  if (!match?.[1]) throw new Error(`no CSRF token on the page (status ${page.status})`);
  return match[1];
}
