/**
 * An SMS gateway in the test process speaking 46elks' API, so tests see what the portal sent
 * over the wire: `POST /a1/sms` with the form fields `from`, `to` and `message` under HTTP Basic
 * is recorded and answered as 46elks answers (JSON with the SMS's id). It can be taken down (503,
 * or no listener at all: connection refused) and brought up again, made to refuse a number for
 * good (400, as 46elks answers an invalid number), and it delivers inbound SMS to the portal's
 * webhook as 46elks does: form-encoded, to a callback URL that carries the credentials.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { rawRequest, type RawResponse } from '../api/support';
import { TEST_SMS_WEBHOOK_SECRET } from './server';

/** One POST the gateway received, whatever it answered. */
export interface GatewayRequest {
  from: string;
  to: string;
  message: string;
  /** The HTTP Basic credentials it came with, as user:password. */
  credentials: string;
  /** What the gateway answered. */
  status: number;
  /** The id the gateway gave a sent SMS. */
  id?: string;
}

export interface TestSmsGateway {
  /** The portal's SMS settings for this gateway. */
  env: Record<string, string>;
  /** Every request, in order of arrival. */
  requests: GatewayRequest[];
  /** The SMS the gateway took (answered 200). */
  sent(): GatewayRequest[];
  /** Waits until an SMS matching `predicate` was taken, and returns it. */
  waitFor(predicate: (sms: GatewayRequest) => boolean, timeoutMs?: number): Promise<GatewayRequest>;
  /** Answers 503 to every SMS (`unavailable`), or stops listening (`unreachable`) until `up()`. */
  down(how: 'unavailable' | 'unreachable'): Promise<void>;
  up(): Promise<void>;
  /** Refuses SMS to `number` for good with 400, as 46elks does an invalid number. */
  refuse(number: string): void;
  /** Delivers an inbound SMS to `portalUrl`'s webhook as 46elks does, with `secret` in the callback URL. */
  deliver(portalUrl: string, fields: Record<string, string>, secret?: string): Promise<RawResponse>;
  stop(): Promise<void>;
}

const USER = 'u-portal';
const PASSWORD = 'gateway-password';
const SENDER = 'Varmdo';

async function formOf(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** A new inbound SMS's fields as 46elks posts them: a fresh id and the time it arrived. */
export function inboundSms(from: string, message: string, id = `s${randomBytes(12).toString('hex')}`): Record<string, string> {
  return { id, from, to: '+46766861004', message, created: new Date().toISOString().replace('T', ' ').replace('Z', '') };
}

export async function startSmsGateway(): Promise<TestSmsGateway> {
  const requests: GatewayRequest[] = [];
  const refused = new Set<string>();
  let unavailable = false;
  const server: Server = createServer((request, response) => {
    void formOf(request).then((form) => {
      const header = request.headers.authorization ?? '';
      const credentials = header.startsWith('Basic ') ? Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8') : '';
      const received: GatewayRequest = { from: form.get('from') ?? '', to: form.get('to') ?? '', message: form.get('message') ?? '', credentials, status: 0 };
      requests.push(received);
      const answer = (status: number, body: string, type = 'text/plain') => {
        received.status = status;
        response.writeHead(status, { 'Content-Type': type }).end(body);
      };
      if (request.method !== 'POST' || request.url !== '/a1/sms') return answer(404, 'Not found');
      if (credentials !== `${USER}:${PASSWORD}`) return answer(401, 'Authentication failed');
      if (unavailable) return answer(503, 'Service unavailable');
      if (refused.has(received.to)) return answer(400, 'Invalid to number');
      received.id = `s${randomBytes(8).toString('hex')}`;
      answer(200, JSON.stringify({ status: 'created', direction: 'outgoing', from: received.from, to: received.to, message: received.message, id: received.id, parts: 1, cost: 3500 }), 'application/json');
    });
  });
  const listen = (port: number) => new Promise<number>((resolve) => server.listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
  const port = await listen(0);
  const sent = () => requests.filter((request) => request.status === 200);
  return {
    env: { SMS_GATEWAY_URL: `http://127.0.0.1:${port}`, SMS_GATEWAY_USER: USER, SMS_GATEWAY_PASSWORD: PASSWORD, SMS_FROM: SENDER, SMS_WEBHOOK_SECRET: TEST_SMS_WEBHOOK_SECRET },
    requests,
    sent,
    async waitFor(predicate, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = sent().find(predicate);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no matching SMS within ${timeoutMs} ms; sent: ${sent().map((sms) => `${sms.to}: ${sms.message}`).join(' | ') || 'none'}`);
        await new Promise((wait) => setTimeout(wait, 100));
      }
    },
    async down(how) {
      if (how === 'unavailable') unavailable = true;
      else await new Promise<void>((resolve) => server.close(() => resolve()).closeAllConnections());
    },
    async up() {
      unavailable = false;
      if (!server.listening) await listen(port);
    },
    refuse: (number) => void refused.add(number),
    deliver(portalUrl, fields, secret = TEST_SMS_WEBHOOK_SECRET) {
      // 46elks is given the callback as http://user:secret@host/…, and sends those credentials as HTTP Basic.
      const callback = new URL('/api/v1/sms/inbound', portalUrl);
      callback.username = 'elks';
      callback.password = secret;
      return rawRequest(`${callback.origin}${callback.pathname}`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Authorization: `Basic ${Buffer.from(`${decodeURIComponent(callback.username)}:${decodeURIComponent(callback.password)}`).toString('base64')}`,
        },
        body: new URLSearchParams(fields).toString(),
      });
    },
    stop: () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve())),
  };
}
