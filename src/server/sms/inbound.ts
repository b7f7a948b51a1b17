/**
 * The gateway's webhook for SMS sent to the municipality's number (46elks' form fields `from`,
 * `to`, `message`, `id`, `created`). An SMS becomes an errand through the same intake as the web
 * (channel `sms`, a question for the default unit, the number as contact, in Swedish), or, when
 * it answers an SMS the portal sent to that number about an errand that is not closed, the
 * person's answer on that errand. Each gateway id is taken once, in the transaction of what it
 * became, so a gateway repeating a delivery stores nothing more and is told it arrived.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { APIContext } from 'astro';
import { DEFAULT_LOCALE } from '../../lib/locales';
import { internationalPhoneNumber } from '../../lib/phone';
import { toFieldErrors, type FieldError } from '../../lib/intake/errors';
import { FORM_FORMATS, publicOrigin, readRequestBody, statusProblem, validationProblem } from '../http';
import { receiveSubmission } from '../intake';
import { logEvent } from '../log';
import { InboundSmsTakenError } from '../storage/sms';

/** An SMS of many parts is a few thousand characters at most. */
const BODY_LIMIT_BYTES = 16 * 1024;
/**
 * An SMS answers the latest SMS the portal sent to the same number within this time; later, or
 * when that errand is closed, it is a new errand.
 */
export const SMS_ANSWER_WINDOW_MS = 30 * 24 * 60 * 60_000;
const GATEWAY_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

/** Whether the Authorization header is HTTP Basic with the webhook's secret as the password, compared in constant time. */
function carriesSecret(authorization: string | null, secret: string): boolean {
  const credentials = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(authorization ?? '')?.[1];
  const decoded = credentials === undefined ? '' : Buffer.from(credentials, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return colon !== -1 && timingSafeEqual(digest(decoded.slice(colon + 1)), digest(secret));
}

/**
 * The gateway is answered with an empty 200: 46elks sends a non-empty answer back to the person
 * as a reply SMS, and the acknowledgement goes out through the queue instead.
 */
const taken = () => new Response(null, { status: 200, headers: { 'Cache-Control': 'no-store' } });

export async function receiveInboundSms(context: APIContext): Promise<Response> {
  const { services, t } = context.locals;
  const settings = services.smsSettings;
  // Not configured, the route is not there: a 503 would have a gateway retry what never comes.
  if (!settings) return statusProblem(t, 404, 'api.problem.404.sms');
  if (!carriesSecret(context.request.headers.get('authorization'), settings.webhookSecret)) {
    return statusProblem(t, 401, 'api.problem.401.sms', { 'WWW-Authenticate': 'Basic realm="sms", charset="UTF-8"' });
  }
  // 46elks posts URL-encoded fields; a gateway that posts multipart fields is read the same way.
  const body = await readRequestBody(context, { accept: FORM_FORMATS, limitBytes: BODY_LIMIT_BYTES });
  const fields = body.format === 'json' ? new URLSearchParams() : body.fields;
  const gatewayId = fields.get('id') ?? '';
  const from = internationalPhoneNumber(fields.get('from') ?? '');
  // The one submission schema cleans and checks the text as it does a form's.
  const parsed = services.schema.safeParse({ type: 'question', message: fields.get('message') ?? '', contact: { phone: from ?? '' }, language: DEFAULT_LOCALE });
  const errors: FieldError[] = [
    ...(GATEWAY_ID_PATTERN.test(gatewayId) ? [] : [{ field: 'id', key: 'error.smsId.required' }]),
    ...(from === undefined ? [{ field: 'from', key: 'error.phone.invalid' }] : []),
    ...(parsed.success ? [] : toFieldErrors(parsed.error.issues).filter((error) => error.field === 'message')),
  ];
  if (errors.length > 0 || !parsed.success || from === undefined) return validationProblem(t, errors);
  const { store } = services;
  if (await store.inboundSmsTaken(gatewayId)) return taken();
  const now = new Date();
  try {
    const thread = await store.latestSmsThread(from, new Date(now.getTime() - SMS_ANSWER_WINDOW_MS));
    if (thread && thread.status !== 'closed') {
      await store.recordAction(
        thread.submissionId,
        {
          event: { actor: 'resident', staffUserId: null, kind: 'resident_reply', data: { text: parsed.data.message, channel: 'sms' } },
          // An answered errand is open again; one still being handled stays as it is.
          ...(thread.status === 'answered' ? { changes: { status: 'in_progress' as const } } : {}),
          inboundSmsId: gatewayId,
        },
        now,
      );
      logEvent('info', 'sms_answer_taken', { submissionId: thread.submissionId });
      return taken();
    }
    const result = await receiveSubmission(services, parsed.data, { origin: publicOrigin(context.url), channel: 'sms', inboundSmsId: gatewayId });
    if (result.outcome === 'invalid') return validationProblem(t, result.errors);
    return taken();
  } catch (error) {
    if (error instanceof InboundSmsTakenError) return taken();
    throw error;
  }
}
