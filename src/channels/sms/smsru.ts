/*
 * SMS.ru (https://sms.ru/api), `SMS_PROVIDER=smsru`.
 *
 * What the documentation and public clients show (checked via the SMS.ru docs' examples, the `sms_ru`/`libsmsru` npm
 * clients and SMS.ru's own C# sample handler):
 * - Send: `POST https://sms.ru/sms/send`, urlencoded `api_id`, `to` (digits, no "+"), `msg` (UTF-8), `json=1`,
 *   optional `from` (an approved sender name). Answer (HTTP 200 even for errors):
 *   `{"status":"OK","status_code":100,"sms":{"79161234567":{"status":"OK","status_code":100,"sms_id":"000000-10000000",
 *   "cost":"2.50","sms":1}},"balance":4122.56}`; a per-number failure is
 *   `{"status":"ERROR","status_code":202,"status_text":"…"}` inside `sms`; a request-level one is the same at the top.
 *   Codes: 200 wrong api_id, 201 no money, 202 wrong number, 203 no text, 204 sender not approved, 205 too long,
 *   206 daily limit, 207 no route to the number, 209 your stop list, 212 not UTF-8, 214 foreign number forbidden,
 *   215 SMS.ru spam stop list, 216 forbidden word, 220 service temporarily unavailable, 230–233 per-number limits,
 *   300–302 auth, 500 server error.
 * - Delivery reports: SMS.ru POSTs to the callback URL added in its panel (or via `callback/add`) a form whose
 *   fields `data[0]`, `data[1]`, … (PHP clients read them as `data[]`) each hold lines
 *   `sms_status\n<sms_id>\n<status_code>\n<unix time>`; the handler must answer the plain text `100`, otherwise
 *   SMS.ru repeats the call. Status 103 = delivered, 110 = read (Viber), 104 expired, 105 deleted by the operator,
 *   106 phone failure, 107 unknown reason, 108 rejected, 150 no route — all final failures; 100–102 are in transit.
 * - SMS.ru has no inbound SMS on ordinary accounts, so this provider parses no replies.
 */
import type { SendResult, SmsMessage } from '../channel';
import type { ParsedWebhook, ReceiptUpdate, SmsProvider, SmsProviderOptions, SmsWebhookParser, WebhookRequest } from './provider';
import { httpFailure, isFailure, joinUrl, numeric, postForm } from './http';

const API_ROOT = 'https://sms.ru';

/** SMS.ru credentials and sender. */
export interface SmsRuConfig extends SmsProviderOptions {
  apiId: string;
  /** An approved sender name (`SMS_SENDER`); the account default when unset. */
  from?: string | undefined;
}

type Failure = Extract<SendResult, { ok: false }>;

/** What an SMS.ru error code means for a retry and for the address. */
export function classifySmsRuCode(code: number, text?: string): Failure {
  const reason = `smsru ${code}${text ? `: ${text}` : ''}`;
  const no = (extra: Partial<Failure> = {}): Failure => ({ ok: false, retryable: false, reason, ...extra });
  const later = (retryAfterMs?: number): Failure => ({ ok: false, retryable: true, reason, ...(retryAfterMs !== undefined && { retryAfterMs }) });
  switch (code) {
    case 202: case 207: return no({ code: 'invalid_address' });
    case 209: case 215: return no({ code: 'blocked' });
    case 216: return no({ code: 'rejected' });
    case 206: case 230: case 232: return later(3_600_000); // daily limits: the next hours may pass
    case 231: case 233: return later(60_000); // per-minute limits
    case 220: return later();
    default: return code >= 500 ? later() : no(); // auth (200, 300–302), balance (201), bad request (203–205, 212–214)
  }
}

/** Sends through SMS.ru's JSON API. */
export function createSmsRuProvider(config: SmsRuConfig): SmsProvider {
  const url = joinUrl(config.apiRoot ?? API_ROOT, '/sms/send');
  return {
    name: 'smsru',
    webhook: smsRuWebhook,
    async send(message: SmsMessage): Promise<SendResult> {
      const to = message.to.replace(/^\+/, '');
      const form = new URLSearchParams({ api_id: config.apiId, to, msg: message.text, json: '1' });
      if (config.from) form.set('from', config.from);
      const res = await postForm(url, form, { timeoutMs: config.timeoutMs });
      if (isFailure(res)) return res;
      const body = res.json as SmsRuAnswer | undefined;
      if (res.status !== 200 || !body || typeof body !== 'object') return httpFailure('smsru', res);
      if (body.status !== 'OK') return classifySmsRuCode(Number(body.status_code), body.status_text);
      const entry = body.sms?.[to] ?? Object.values(body.sms ?? {})[0];
      if (!entry) return { ok: false, retryable: true, reason: 'smsru: answer without a per-number result' };
      if (entry.status !== 'OK' || !entry.sms_id) return classifySmsRuCode(Number(entry.status_code), entry.status_text);
      const cost = numeric(entry.cost);
      const segments = numeric(entry.sms);
      return {
        ok: true, providerMessageId: String(entry.sms_id), status: 'sent',
        ...(segments !== undefined && { segments }), ...(cost !== undefined && { cost }),
      };
    },
  };
}

interface SmsRuEntry { status?: string; status_code?: number | string; status_text?: string; sms_id?: string; cost?: unknown; sms?: unknown }
interface SmsRuAnswer extends SmsRuEntry { sms?: Record<string, SmsRuEntry>; balance?: unknown }

const FAILED: Record<number, string> = {
  104: 'expired', 105: 'deleted by operator', 106: 'phone failure', 107: 'unknown reason', 108: 'rejected', 150: 'no route to number',
};

/** Reads SMS.ru callbacks (`data[…]` fields of `sms_status` lines); answers `100` as SMS.ru requires. */
export const smsRuWebhook: SmsWebhookParser = {
  name: 'smsru',
  methods: ['POST'],
  ack: { body: '100', contentType: 'text/plain; charset=utf-8' },
  parse(req: WebhookRequest): ParsedWebhook | { error: string } {
    const entries = [...req.form.entries()].filter(([k]) => /^data(\[\d*\])?$/.test(k)).map(([, v]) => v);
    if (entries.length === 0) return { error: 'no data[] fields' };
    const receipts: ReceiptUpdate[] = [];
    for (const entry of entries) {
      const lines = entry.split('\n').map((l) => l.trim());
      if (lines[0] !== 'sms_status') continue; // other callback kinds (call checks, tests) are acknowledged and ignored
      const [, id, codeText, time] = lines;
      const code = Number(codeText);
      if (!id || !codeText || !Number.isInteger(code)) return { error: `malformed sms_status entry: ${JSON.stringify(entry.slice(0, 100))}` };
      const seconds = Number(time);
      const at = time && Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
      const state = code === 103 || code === 110 ? 'delivered' : FAILED[code] ? 'failed' : 'pending';
      receipts.push({ providerMessageId: id, state, at, reason: `${code}${FAILED[code] ? ` ${FAILED[code]}` : ''}` });
    }
    return { receipts, inbound: [] };
  },
};
