/**
 * The SMS gateway, over HTTP in the format of the Swedish provider 46elks: an SMS goes out as
 * `POST {SMS_GATEWAY_URL}/a1/sms` with the form fields `from`, `to` and `message` under HTTP
 * Basic, and comes in as a form post to the portal's webhook. Configured by SMS_GATEWAY_URL,
 * SMS_GATEWAY_USER, SMS_GATEWAY_PASSWORD, SMS_FROM and SMS_WEBHOOK_SECRET; without any of them
 * the portal neither sends nor takes SMS.
 */
import type { OutgoingSms } from '../storage/sms';
import { errorKind } from '../log';

export interface SmsSettings {
  /** The gateway's base address, e.g. https://api.46elks.com. */
  gatewayUrl: string;
  user: string;
  password: string;
  /** The municipality's number, or an alphanumeric sender name, the SMS come from. */
  from: string;
  /** The password the gateway's webhook calls carry (HTTP Basic, any user name). */
  webhookSecret: string;
}

const VARIABLES: Record<keyof SmsSettings, string> = {
  gatewayUrl: 'SMS_GATEWAY_URL',
  user: 'SMS_GATEWAY_USER',
  password: 'SMS_GATEWAY_PASSWORD',
  from: 'SMS_FROM',
  webhookSecret: 'SMS_WEBHOOK_SECRET',
};

/** A gateway that does not answer in this time is taken as down, and the SMS is tried again. */
const GATEWAY_TIMEOUT_MS = 10_000;

/**
 * The SMS settings from the environment, or undefined when none is set. Some set and others not
 * is a mistake that stops the server at start, naming what is missing.
 */
export function smsSettingsFrom(env: NodeJS.ProcessEnv): SmsSettings | undefined {
  const entries = Object.entries(VARIABLES) as [keyof SmsSettings, string][];
  const values = Object.fromEntries(entries.map(([key, variable]) => [key, env[variable]?.trim() ?? ''])) as unknown as SmsSettings;
  const missing = entries.filter(([key]) => values[key] === '').map(([, variable]) => variable);
  if (missing.length === entries.length) return undefined;
  if (missing.length > 0) throw new Error(`SMS is configured only in part: set ${missing.join(', ')} as well, or none of the SMS_ variables`);
  if (!URL.canParse(values.gatewayUrl)) throw new Error('SMS_GATEWAY_URL is not an address');
  return values;
}

/** What the gateway made of one SMS: sent (with its id), worth trying again, or refused for good. */
export type GatewayOutcome = { kind: 'sent'; gatewayId: string | null } | { kind: 'retry'; error: string } | { kind: 'refused'; error: string };

/**
 * Hands one SMS to the gateway. A 2xx is sent; 429, a 5xx, a timeout or no connection are worth
 * trying again; any other 4xx (a wrong number, a refused sender, wrong credentials) is for good.
 */
export async function sendThroughGateway(settings: SmsSettings, sms: OutgoingSms): Promise<GatewayOutcome> {
  const endpoint = new URL('a1/sms', settings.gatewayUrl.endsWith('/') ? settings.gatewayUrl : `${settings.gatewayUrl}/`);
  let response: Response;
  let body: string;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${settings.user}:${settings.password}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ from: settings.from, to: sms.recipient, message: sms.message }).toString(),
      signal: AbortSignal.timeout(GATEWAY_TIMEOUT_MS),
    });
    body = await response.text();
  } catch (error) {
    return { kind: 'retry', error: errorKind(error) };
  }
  if (response.ok) return { kind: 'sent', gatewayId: gatewayIdOf(body) };
  if (response.status === 429 || response.status >= 500) return { kind: 'retry', error: `HTTP ${response.status}` };
  // 46elks says what it refused in plain text ("Invalid to number"); kept short for staff to read.
  return { kind: 'refused', error: `HTTP ${response.status}${body.trim() ? `: ${body.trim().slice(0, 200)}` : ''}` };
}

/** The id 46elks gives a sent SMS, from its JSON answer. */
function gatewayIdOf(body: string): string | null {
  try {
    const id = (JSON.parse(body) as { id?: unknown }).id;
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}
