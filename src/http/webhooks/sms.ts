import { Hono, type Context } from 'hono';
import type { Db } from '../../db/database';
import type { Logger } from '../../log';
import type { WebhookRequest } from '../../channels/sms/provider';
import { isSmsProviderName } from '../../channels/sms/provider';
import { smsWebhookParsers } from '../../channels/sms/webhook-parsers';
import { smsWebhookToken } from '../../channels/sms/webhook-url';
import { verifyTwilioSignature } from '../../channels/sms/twilio';
import { applySmsReceipt, withdrawSmsConsent } from '../../channels/sms/ledger-updates';
import { isStopReply } from '../../channels/sms/stop-reply';
import { normalizePhone } from '../../contacts/phone';
import { findContact } from '../../db/contacts';
import { httpError } from '../error-response';
import { sameSecret } from '../../security/same-secret';

export { smsWebhookUrl } from '../../channels/sms/webhook-url';
export { isStopReply } from '../../channels/sms/stop-reply';

const MAX_BODY = 256 * 1024;

/** An inbound SMS as the webhook hands it on (the caller turns it into an event). */
export interface InboundSmsEvent {
  /** The sender in E.164 (as the provider gave it when it is not a phone number, e.g. a short code). */
  phone: string;
  text: string;
  provider: string;
  at: number;
  /** The provider's id of the inbound message, usable as an idempotency key (providers retry webhooks). */
  providerMessageId?: string | undefined;
  /** The contact with that phone, when there is one. */
  contactId?: string | undefined;
  /** Whether the text was an opt-out (consent already withdrawn and the number suppressed). */
  stop: boolean;
}

/** A delivery report that changed a ledger row. */
export interface SmsReceiptEvent {
  deliveryId: string;
  enrollmentId: string;
  funnelId: string;
  contactId: string;
  touchId: string;
  status: 'delivered' | 'failed';
  at: number;
  reason?: string | undefined;
}

/** What the SMS webhooks need. */
export interface SmsWebhookDeps {
  db: Db;
  /** SECRET_KEY: the `?token=` of each provider's URL is derived from it (see `smsWebhookUrl`). */
  secretKey: string;
  log: Logger;
  /** Called for every inbound SMS, after a STOP has been applied. */
  onInbound(e: InboundSmsEvent): Promise<void>;
  /** Called when a delivery report moved a delivery to delivered/failed (e.g. to emit `<touchId>.delivered`). */
  onReceipt?(e: SmsReceiptEvent): Promise<void>;
  now(): number;
  /** When set, Twilio calls must carry a valid `X-Twilio-Signature` (computed over `publicUrl` + path + query). */
  twilioAuthToken?: string | undefined;
  /** PUBLIC_URL, for the URL Twilio signed (the server may sit behind a proxy); the request URL when unset. */
  publicUrl?: string | undefined;
}

async function readRequest(c: Context): Promise<WebhookRequest> {
  const query = c.req.query();
  const { token: _token, ...rest } = query;
  const headers = Object.fromEntries(Object.entries(c.req.header()).map(([k, v]) => [k.toLowerCase(), v]));
  const base = { method: c.req.method, url: c.req.url, headers, query: rest };
  if (c.req.method === 'GET') return { ...base, form: new URLSearchParams(rest) };
  if (Number(headers['content-length'] ?? 0) > MAX_BODY) throw httpError(413, 'payload_too_large', `body over ${MAX_BODY} bytes`);
  const type = headers['content-type'] ?? '';
  if (type.includes('multipart/form-data')) {
    const form = new URLSearchParams();
    for (const [k, v] of (await c.req.formData()).entries()) if (typeof v === 'string') form.append(k, v);
    return { ...base, form };
  }
  const text = await c.req.text();
  if (Buffer.byteLength(text) > MAX_BODY) throw httpError(413, 'payload_too_large', `body over ${MAX_BODY} bytes`);
  if (type.includes('json')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw httpError(400, 'invalid_json', 'malformed JSON body');
    }
    const flat = json && typeof json === 'object' && !Array.isArray(json)
      ? Object.entries(json).filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v)).map(([k, v]): [string, string] => [k, String(v)])
      : [];
    return { ...base, form: new URLSearchParams(flat), json };
  }
  return { ...base, form: new URLSearchParams(text) };
}

/** A provider's sender as E.164: SMSC sends `79161234567`, Twilio `+79161234567`; null for short codes and names. */
function senderPhone(from: string): string | null {
  const digits = from.replace(/[\s()-]/g, '');
  if (/^\d{11,15}$/.test(digits)) return normalizePhone(`+${digits}`) ?? normalizePhone(digits);
  return normalizePhone(from);
}

/**
 * `POST /:provider` (and `GET` where the provider may call with GET), mounted at `/webhooks/sms`: delivery reports
 * update the SMS ledger, inbound SMS go to `onInbound`, STOP replies withdraw consent and suppress the number.
 * Unknown provider → 404, wrong `?token=` (or Twilio signature) → 401, a body the provider would not send → 400;
 * a rejected call stores nothing. Reports for unknown messages are acknowledged and ignored.
 */
export function smsWebhookRoutes(deps: SmsWebhookDeps): Hono {
  const handle = async (c: Context) => {
    const name = c.req.param('provider') ?? '';
    if (!isSmsProviderName(name)) throw httpError(404, 'not_found', `unknown SMS provider ${JSON.stringify(name)}`);
    const parser = smsWebhookParsers[name];
    if (!parser.methods.includes(c.req.method as 'GET' | 'POST')) throw httpError(405, 'method_not_allowed', `${name} webhooks are ${parser.methods.join(' or ')}`);
    if (!sameSecret(c.req.query('token'), smsWebhookToken(deps.secretKey, name))) throw httpError(401, 'unauthorized', 'missing or wrong webhook token');
    const req = await readRequest(c);
    if (name === 'twilio' && deps.twilioAuthToken) {
      const u = new URL(c.req.url);
      const signedUrl = deps.publicUrl ? `${deps.publicUrl.replace(/\/+$/, '')}${u.pathname}${u.search}` : c.req.url;
      const params = c.req.method === 'POST' ? req.form : new URLSearchParams();
      if (!verifyTwilioSignature(deps.twilioAuthToken, signedUrl, params, req.headers['x-twilio-signature'])) {
        throw httpError(401, 'unauthorized', 'wrong or missing X-Twilio-Signature');
      }
    }
    const parsed = parser.parse(req);
    if ('error' in parsed) throw httpError(400, 'bad_request', `malformed ${name} webhook: ${parsed.error}`);

    for (const receipt of parsed.receipts) {
      const outcome = await applySmsReceipt(deps.db, receipt, deps.now());
      if (!outcome.applied) {
        if (outcome.why !== 'pending') deps.log.debug('sms receipt ignored', { provider: name, id: receipt.providerMessageId, why: outcome.why });
        continue;
      }
      const d = outcome.delivery;
      await deps.onReceipt?.({
        deliveryId: d.id, enrollmentId: d.enrollment_id, funnelId: d.funnel_id, contactId: d.contact_id, touchId: d.touch_id,
        status: outcome.status, at: outcome.at, reason: outcome.reason,
      });
    }
    for (const m of parsed.inbound) {
      const now = deps.now();
      const phone = senderPhone(m.from);
      const stop = phone !== null && isStopReply(m.text);
      let contactId: string | undefined;
      if (stop) {
        contactId = (await withdrawSmsConsent(deps.db, phone, m.text, now)).contactId ?? undefined;
        deps.log.info('sms opt-out', { provider: name, phone, contact: contactId });
      } else if (phone !== null) {
        contactId = (await findContact(deps.db, { phone }))?.id;
      }
      await deps.onInbound({ phone: phone ?? m.from, text: m.text, provider: name, at: m.at ?? now, providerMessageId: m.providerMessageId, contactId, stop });
    }
    return c.body(parser.ack.body, 200, { 'content-type': parser.ack.contentType });
  };
  return new Hono().post('/:provider', handle).get('/:provider', handle);
}
