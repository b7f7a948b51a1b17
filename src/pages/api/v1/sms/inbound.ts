import type { APIRoute } from 'astro';
import { receiveInboundSms } from '../../../../server/sms/inbound';

/** The SMS gateway's webhook: what it delivers, and how it is answered, is in receiveInboundSms. */
export const POST: APIRoute = (context) => receiveInboundSms(context);
