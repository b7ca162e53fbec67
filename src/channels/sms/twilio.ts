/*
 * Twilio Programmable Messaging (https://www.twilio.com/docs/messaging/api/message-resource), `SMS_PROVIDER=twilio`.
 *
 * What the documentation shows:
 * - Send: `POST https://api.twilio.com/2010-04-01/Accounts/{AccountSid}/Messages.json`, HTTP basic auth
 *   `AccountSid:AuthToken`, urlencoded `To` (E.164), `From` (a Twilio number; a Messaging Service SID `MG…` goes as
 *   `MessagingServiceSid`), `Body`, optional `StatusCallback` (URL). Answer 201 with the Message resource:
 *   `{"sid":"SM…","status":"queued","num_segments":"1","price":null,"price_unit":"USD",…}` (`price` is a negative
 *   decimal string once known). Errors: 4xx/5xx with `{"code":21211,"message":"…","more_info":"…","status":400}`;
 *   21211/21217/21401/21421/21614 = the To number is invalid or not mobile, 21610 = the recipient replied STOP,
 *   21408/21612 = no permission or route for that destination, 20003 = authentication, 20429 / HTTP 429 = too many
 *   requests (with `Retry-After`).
 * - Status callbacks: POST form with `MessageSid`, `MessageStatus` (queued, sending, sent, delivered, undelivered,
 *   failed, read…), `ErrorCode` on failures, `To`, `From`, `AccountSid`.
 * - Inbound SMS ("A message comes in" webhook of the number): POST form with `MessageSid`, `From`, `To`, `Body`;
 *   the answer is TwiML — an empty `<Response/>` sends no auto-reply.
 * - Every webhook carries `X-Twilio-Signature`: base64 HMAC-SHA1, keyed with the auth token, of the full URL Twilio
 *   called followed by each POST parameter's name and value, sorted by name.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SendResult, SmsMessage } from '../channel';
import type { ParsedWebhook, SmsProvider, SmsProviderOptions, SmsWebhookParser, WebhookRequest } from './provider';
import { httpFailure, isFailure, joinUrl, numeric, postForm } from './http';

const API_ROOT = 'https://api.twilio.com';

/** Twilio credentials and sender. */
export interface TwilioConfig extends SmsProviderOptions {
  accountSid: string;
  authToken: string;
  /** A Twilio phone number in E.164, or a Messaging Service SID (`MG…`). */
  from: string;
}

type Failure = Extract<SendResult, { ok: false }>;

const INVALID_TO = new Set([21211, 21217, 21401, 21421, 21614]);

/** What a Twilio error code (with its HTTP status) means for a retry and for the address. */
export function classifyTwilioError(code: number, message: string, httpStatus: number, retryAfterMs?: number): Failure {
  const reason = `twilio ${code}: ${message}`;
  if (INVALID_TO.has(code)) return { ok: false, retryable: false, reason, code: 'invalid_address' };
  if (code === 21610) return { ok: false, retryable: false, reason, code: 'blocked' };
  if (code === 20429 || code === 14107 || httpStatus === 429) {
    return { ok: false, retryable: true, reason, ...(retryAfterMs !== undefined && { retryAfterMs }) };
  }
  return { ok: false, retryable: httpStatus >= 500, reason };
}

/** Sends through Twilio's Messages resource. */
export function createTwilioProvider(config: TwilioConfig): SmsProvider {
  const url = joinUrl(config.apiRoot ?? API_ROOT, `/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`);
  const authorization = `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64')}`;
  return {
    name: 'twilio',
    webhook: twilioWebhook,
    async send(message: SmsMessage): Promise<SendResult> {
      const form = new URLSearchParams({ To: message.to });
      form.set(config.from.startsWith('MG') ? 'MessagingServiceSid' : 'From', config.from);
      form.set('Body', message.text);
      if (config.statusCallbackUrl) form.set('StatusCallback', config.statusCallbackUrl);
      const res = await postForm(url, form, { timeoutMs: config.timeoutMs, headers: { authorization } });
      if (isFailure(res)) return res;
      const body = res.json as TwilioAnswer | undefined;
      if (res.status >= 400) {
        const code = numeric(body?.code);
        return code === undefined ? httpFailure('twilio', res) : classifyTwilioError(code, String(body?.message ?? ''), res.status, res.retryAfterMs);
      }
      if (!body?.sid) return httpFailure('twilio', res);
      if (body.status === 'failed' || body.status === 'undelivered') {
        return { ok: false, retryable: false, reason: `twilio: ${body.status}${body.error_code ? ` (${body.error_code})` : ''}` };
      }
      const segments = numeric(body.num_segments);
      const price = numeric(body.price);
      return {
        ok: true, providerMessageId: body.sid, status: 'sent',
        ...(segments !== undefined && { segments }), ...(price !== undefined && { cost: Math.abs(price) }),
      };
    },
  };
}

interface TwilioAnswer { sid?: string; status?: string; num_segments?: unknown; price?: unknown; error_code?: unknown; code?: unknown; message?: unknown }

/** Twilio's `X-Twilio-Signature` for a POST to `url` with `form`. */
export function twilioSignature(authToken: string, url: string, form: URLSearchParams): string {
  const keys = [...new Set(form.keys())].sort();
  const data = url + keys.map((k) => form.getAll(k).sort().map((v) => k + v).join('')).join('');
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** Whether `signature` is Twilio's for this call (constant-time). */
export function verifyTwilioSignature(authToken: string, url: string, form: URLSearchParams, signature: string | undefined): boolean {
  if (!signature) return false;
  const expected = Buffer.from(twilioSignature(authToken, url, form));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

const DELIVERED = new Set(['delivered', 'read']);
const FAILED = new Set(['undelivered', 'failed']);

/** Reads Twilio status callbacks and inbound messages; answers an empty TwiML response (no auto-reply). */
export const twilioWebhook: SmsWebhookParser = {
  name: 'twilio',
  methods: ['POST', 'GET'],
  ack: { body: '<?xml version="1.0" encoding="UTF-8"?><Response></Response>', contentType: 'text/xml; charset=utf-8' },
  parse(req: WebhookRequest): ParsedWebhook | { error: string } {
    const f = req.form;
    const sid = f.get('MessageSid') ?? f.get('SmsSid');
    const status = f.get('MessageStatus');
    if (status !== null) {
      if (!sid) return { error: 'status callback without MessageSid' };
      const errorCode = f.get('ErrorCode');
      const state = DELIVERED.has(status) ? 'delivered' : FAILED.has(status) ? 'failed' : 'pending';
      return { receipts: [{ providerMessageId: sid, state, reason: `${status}${errorCode ? ` (${errorCode})` : ''}` }], inbound: [] };
    }
    const from = f.get('From');
    const body = f.get('Body');
    if (!from || body === null) return { error: 'neither a status callback (MessageStatus) nor an inbound message (From, Body)' };
    return { receipts: [], inbound: [{ from, text: body, providerMessageId: sid ?? undefined }] };
  },
};
